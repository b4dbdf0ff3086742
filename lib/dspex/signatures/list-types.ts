// Lists of a type, and fixed-length embeddings.
import { z } from "zod";
import type { FieldType } from "./types";
import { defineFieldType, fieldValueFromJson, type FieldTypeWithJson } from "./field-type";
import { parseJsonText } from "./json-text";
import { splitListText, stripFences, unquote } from "./text-parsing";

export interface ListBounds {
  readonly min?: number;
  readonly max?: number;
}

function itemsText(bounds: ListBounds): string {
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined) return min === max ? `, exactly ${min} items` : `, ${min} to ${max} items`;
  if (min !== undefined) return `, at least ${min} items`;
  if (max !== undefined) return `, at most ${max} items`;
  return "";
}

export function listType(item: FieldType, bounds: ListBounds = {}, schema?: z.ZodType): FieldTypeWithJson {
  let arraySchema = z.array(item.schema);
  if (bounds.min !== undefined) arraySchema = arraySchema.min(bounds.min);
  if (bounds.max !== undefined) arraySchema = arraySchema.max(bounds.max);
  const fromJson = (value: unknown): unknown => {
    if (typeof value === "string") return fromText(value);
    return Array.isArray(value) ? value.map((v) => fieldValueFromJson(item, v)) : value;
  };
  const fromText = (text: string): unknown => {
    const t = stripFences(text);
    if (t === "") return [];
    if (t.startsWith("[")) {
      const parsed = parseJsonText(t, "array");
      if (parsed.ok) return fromJson(parsed.value);
    }
    return splitListText(t).map((s) => item.fromText(item.kind === "string" ? unquote(s) : s));
  };
  return defineFieldType({
    kind: "list",
    schema: schema ?? arraySchema,
    hint: `list of ${item.hint} (JSON array${itemsText(bounds)})`,
    jsonSchema: {
      type: "array",
      items: item.jsonSchema(),
      ...(bounds.min !== undefined ? { minItems: bounds.min } : {}),
      ...(bounds.max !== undefined ? { maxItems: bounds.max } : {}),
    },
    fromText,
    fromJson,
    toText: (value) => JSON.stringify(value),
    item,
    ...bounds,
  });
}

export function embeddingType(dimensions: number, schema?: z.ZodType): FieldTypeWithJson {
  const fromText = (text: string): unknown => {
    const t = stripFences(text);
    const parsed = parseJsonText(t, "array");
    if (parsed.ok) return parsed.value;
    const parts = t.split(/[\s,]+/).filter((s) => s.length > 0);
    const numbers = parts.map(Number);
    return parts.length > 0 && numbers.every(Number.isFinite) ? numbers : t;
  };
  return defineFieldType({
    kind: "embedding",
    schema: schema ?? z.array(z.number()).length(dimensions),
    hint: `embedding: a JSON array of ${dimensions} numbers`,
    jsonSchema: { type: "array", items: { type: "number" }, minItems: dimensions, maxItems: dimensions },
    fromText,
    fromJson: (value) => (typeof value === "string" ? fromText(value) : value),
    toText: (value) => JSON.stringify(value),
    dimensions,
  });
}
