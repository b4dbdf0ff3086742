// A JSON object, free-form or typed by a zod schema.
import { z } from "zod";
import { defineFieldType, type FieldTypeWithJson } from "./field-type";
import { parseJsonText } from "./json-text";
import { toStrictJsonSchema } from "./strict-json-schema";
import { stripFences } from "./text-parsing";

/** Removes properties whose value is null, at every depth (strict structured outputs send null for absent keys). */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/**
 * @param schema the object's zod schema; default: any JSON object.
 * @param keysHint how the keys are described in prompts, e.g. "name (string), age (integer)".
 * @param shape "value" for schemas that are not objects (any JSON value is read).
 */
export function jsonType(schema?: z.ZodType, keysHint?: string, shape: "object" | "value" = "object"): FieldTypeWithJson {
  const typed = schema ?? z.record(z.string(), z.unknown());
  const jsonSchema = schema ? toStrictJsonSchema(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as Record<string, unknown>) : { type: "object" };
  const fromJson = (value: unknown): unknown => {
    if (typeof value === "string") return fromText(value);
    if (!schema || typed.safeParse(value).success) return value;
    const withoutNulls = dropNulls(value);
    return typed.safeParse(withoutNulls).success ? withoutNulls : value;
  };
  const fromText = (text: string): unknown => {
    const parsed = parseJsonText(text, shape === "object" ? "object" : "any");
    return parsed.ok ? fromJson(parsed.value) : stripFences(text);
  };
  return defineFieldType({
    kind: "json",
    schema: typed,
    hint: shape === "value" ? "json: a JSON value" : keysHint ? `json: a JSON object with keys: ${keysHint}` : "json: a JSON object",
    jsonSchema,
    fromText,
    fromJson,
    toText: (value) => JSON.stringify(value),
  });
}
