// string, number, integer, boolean.
import { z } from "zod";
import { defineFieldType, type FieldTypeWithJson } from "./field-type";
import { readBoolean, readNumber, stripFences } from "./text-parsing";

export function stringType(schema: z.ZodType = z.string()): FieldTypeWithJson {
  return defineFieldType({
    kind: "string",
    schema,
    hint: "string",
    jsonSchema: { type: "string" },
    // Strings keep their content (a fenced code answer stays fenced); only the ends are trimmed.
    fromText: (text) => text.trim(),
    fromJson: (value) => (typeof value === "string" ? value.trim() : typeof value === "number" || typeof value === "boolean" ? String(value) : value),
  });
}

function boundsText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return "";
}

function numberFromText(text: string): unknown {
  const n = readNumber(text);
  return n ? n.value : text.trim();
}

function numberFromJson(value: unknown): unknown {
  return typeof value === "string" ? numberFromText(value) : value;
}

export function numberType(schema: z.ZodType = z.number(), bounds: { min?: number; max?: number } = {}): FieldTypeWithJson {
  const range = boundsText(bounds.min, bounds.max);
  return defineFieldType({
    kind: "number",
    schema,
    hint: range ? `number${range}` : "number",
    jsonSchema: { type: "number", ...(bounds.min !== undefined ? { minimum: bounds.min } : {}), ...(bounds.max !== undefined ? { maximum: bounds.max } : {}) },
    fromText: numberFromText,
    fromJson: numberFromJson,
    toText: String,
    ...bounds,
  });
}

export function integerType(schema: z.ZodType = z.number().int(), bounds: { min?: number; max?: number } = {}): FieldTypeWithJson {
  const range = boundsText(bounds.min, bounds.max);
  return defineFieldType({
    kind: "integer",
    schema,
    hint: range ? `integer${range}` : "integer",
    jsonSchema: { type: "integer", ...(bounds.min !== undefined ? { minimum: bounds.min } : {}), ...(bounds.max !== undefined ? { maximum: bounds.max } : {}) },
    fromText: numberFromText,
    fromJson: numberFromJson,
    toText: String,
    ...bounds,
  });
}

function booleanFromText(text: string): unknown {
  return readBoolean(text) ?? stripFences(text);
}

export function booleanType(schema: z.ZodType = z.boolean()): FieldTypeWithJson {
  return defineFieldType({
    kind: "boolean",
    schema,
    hint: "boolean: true or false",
    jsonSchema: { type: "boolean" },
    fromText: booleanFromText,
    fromJson: (value) => (typeof value === "string" ? booleanFromText(value) : value),
    toText: String,
  });
}
