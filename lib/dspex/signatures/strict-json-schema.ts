// JSON schemas that OpenAI's strict structured outputs accept: every object lists all its
// properties as required (optional ones become nullable) and sets additionalProperties to false.
import type { JsonSchema } from "../lm/types";

type Mutable = { [key: string]: unknown };

const SAFE = Number.MAX_SAFE_INTEGER;

function isObject(value: unknown): value is Mutable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function allowsNull(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  if (schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"))) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some(allowsNull);
}

/** A nullable version of a schema (used for optional outputs and optional object properties). */
export function nullable(schema: JsonSchema): JsonSchema {
  if (allowsNull(schema)) return schema;
  const { description, ...rest } = schema as Mutable;
  return { anyOf: [rest, { type: "null" }], ...(description !== undefined ? { description } : {}) };
}

/** Rewrites a schema (e.g. from z.toJSONSchema) into the strict form; the input is not changed. */
export function toStrictJsonSchema(schema: JsonSchema): JsonSchema {
  return strictify(schema) as JsonSchema;
}

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!isObject(node)) return node;
  const out: Mutable = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema") continue;
    if ((k === "minimum" && v === -SAFE) || (k === "maximum" && v === SAFE)) continue;
    out[k] = k === "properties" && isObject(v) ? v : strictify(v);
  }
  if (isObject(out.properties)) {
    const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
    const props: Mutable = {};
    for (const [name, prop] of Object.entries(out.properties)) {
      const strictProp = strictify(prop) as JsonSchema;
      props[name] = required.has(name) ? strictProp : nullable(strictProp);
    }
    out.properties = props;
    out.required = Object.keys(props);
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  return out;
}

/** True when every object in the schema is closed (additionalProperties false, all required). */
export function isStrictJsonSchema(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictJsonSchema);
  if (!isObject(node)) return true;
  if (node.type === "object" || isObject(node.properties)) {
    if (node.additionalProperties !== false || !isObject(node.properties)) return false;
    const required = Array.isArray(node.required) ? node.required : [];
    if (Object.keys(node.properties).some((k) => !required.includes(k))) return false;
  }
  return Object.entries(node).every(([k, v]) => (k === "properties" && isObject(v) ? Object.values(v).every(isStrictJsonSchema) : isStrictJsonSchema(v)));
}
