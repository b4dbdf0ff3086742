// Reads a FieldType out of a zod schema: from the registry when `t` made it, otherwise by
// inspecting the plain zod schema (string, number with bounds, int, boolean, enum, literals,
// arrays, objects). Wrappers (optional, nullable, default, readonly) are unwrapped.
import { z } from "zod";
import type { FieldType } from "./types";
import { fieldMetaOf, isFieldType } from "./field-type";
import { booleanType, integerType, numberType, stringType } from "./scalar-types";
import { probabilityType } from "./bounded-types";
import { labelsType } from "./labels-type";
import { listType } from "./list-types";
import { jsonType } from "./json-type";

export interface ResolvedField {
  readonly type: FieldType;
  readonly optional: boolean;
  readonly description?: string;
  readonly variable?: { readonly default: unknown };
}

type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; element?: z.ZodType; checks?: { _zod: { def: Record<string, unknown> } }[] };

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as unknown as Def;
}

const cache = new WeakMap<z.ZodType, ResolvedField>();

/** How a zod schema becomes a field: its type, whether it may be omitted, its description, its default. */
export function resolveZodField(schema: z.ZodType): ResolvedField {
  const hit = cache.get(schema);
  if (hit) return hit;
  let current = schema;
  let optional = false;
  let variable: { default: unknown } | undefined;
  let description: string | undefined;
  let type: FieldType | undefined;
  for (let depth = 0; depth < 16 && !type; depth++) {
    const meta = fieldMetaOf(current);
    description ??= current.description;
    if (meta?.variable && !variable) variable = meta.variable;
    if (meta?.fieldType) {
      type = meta.fieldType;
      break;
    }
    const def = defOf(current);
    if ((def.type === "optional" || def.type === "nullable") && def.innerType) {
      optional = true;
      current = def.innerType;
    } else if ((def.type === "default" || def.type === "prefault") && def.innerType) {
      variable ??= { default: def.defaultValue };
      current = def.innerType;
    } else if ((def.type === "readonly" || def.type === "catch" || def.type === "nonoptional") && def.innerType) {
      current = def.innerType;
    } else {
      type = inferFieldType(current);
    }
  }
  const resolved: ResolvedField = Object.freeze({
    type: type ?? inferFieldType(current),
    optional: optional && !variable,
    ...(description !== undefined ? { description } : {}),
    ...(variable ? { variable: Object.freeze({ default: variable.default }) } : {}),
  });
  cache.set(schema, resolved);
  return resolved;
}

/** The FieldType of a zod schema (or the FieldType itself when given one). */
export function fieldTypeOf(schema: z.ZodType | FieldType): FieldType {
  return isFieldType(schema) ? schema : resolveZodField(schema).type;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function numberBounds(schema: z.ZodNumber): { min?: number; max?: number } {
  const min = schema.minValue;
  const max = schema.maxValue;
  return {
    ...(min !== null && Number.isFinite(min) && min > -SAFE ? { min } : {}),
    ...(max !== null && Number.isFinite(max) && max < SAFE ? { max } : {}),
  };
}

function lengthBounds(def: Def): { min?: number; max?: number } {
  const out: { min?: number; max?: number } = {};
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "min_length") out.min = c.minimum as number;
    else if (c.check === "max_length") out.max = c.maximum as number;
    else if (c.check === "length_equals") out.min = out.max = c.length as number;
  }
  return out;
}

function stringLiterals(schema: z.ZodType): string[] | undefined {
  const def = schema._zod.def as unknown as { type: string; values?: unknown[]; options?: z.ZodType[] };
  if (def.type === "literal" && def.values?.every((v) => typeof v === "string")) return def.values as string[];
  if (def.type === "union" && def.options) {
    const all = def.options.map(stringLiterals);
    return all.every((a) => a !== undefined) ? (all as string[][]).flat() : undefined;
  }
  return undefined;
}

/** Describes an object schema's keys for prompts: "name (string), age (integer, optional)". */
export function describeObjectKeys(schema: z.ZodType): string | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const parts = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, value]) => {
    const f = resolveZodField(value);
    return `${key} (${f.type.hint}${f.optional ? ", optional" : ""})`;
  });
  return parts.join(", ");
}

function inferFieldType(schema: z.ZodType): FieldType {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
      return stringType(schema);
    case "number": {
      const n = schema as z.ZodNumber;
      const bounds = numberBounds(n);
      if (n.isInt) return integerType(schema, bounds);
      if (bounds.min === 0 && bounds.max === 1) return probabilityType(schema);
      return numberType(schema, bounds);
    }
    case "boolean":
      return booleanType(schema);
    case "enum":
      return labelsType(
        (schema as z.ZodEnum).options.map((value) => ({ value: String(value) })),
        schema,
      );
    case "array":
      return listType(fieldTypeOf(def.element as z.ZodType), lengthBounds(def), schema);
    case "object":
      return jsonType(schema, describeObjectKeys(schema));
    case "record":
      return jsonType(schema);
    default: {
      const literals = stringLiterals(schema);
      if (literals && literals.length > 0) return labelsType(literals.map((value) => ({ value })), schema);
      return jsonType(schema, undefined, "value");
    }
  }
}
