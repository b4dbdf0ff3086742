// The one place a FieldType is built, and the zod registry that lets a zod schema carry one, so the
// shorthand and the zod form share the same types.
import { z } from "zod";
import type { JsonSchema } from "../lm/types";
import type { FieldKind, FieldType, LabelOption } from "./types";

export interface FieldTypeSpec {
  readonly kind: FieldKind;
  readonly schema: z.ZodType;
  readonly hint: string;
  readonly jsonSchema: JsonSchema;
  readonly fromText: (text: string) => unknown;
  /** Turns a JSON value from a structured reply into a value to validate; default: fromText for strings. */
  readonly fromJson?: (value: unknown) => unknown;
  readonly toText?: (value: unknown) => string;
  readonly labels?: readonly LabelOption[];
  readonly min?: number;
  readonly max?: number;
  readonly item?: FieldType;
  readonly dimensions?: number;
}

/** A FieldType plus the optional hook the adapters use for values that arrive as JSON. */
export interface FieldTypeWithJson extends FieldType {
  fromJson(value: unknown): unknown;
}

export function defaultToText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? String(value);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function defineFieldType(spec: FieldTypeSpec): FieldTypeWithJson {
  const jsonSchema = deepFreeze({ ...spec.jsonSchema });
  const fromText = spec.fromText;
  const type: FieldTypeWithJson = {
    kind: spec.kind,
    schema: spec.schema,
    hint: spec.hint,
    jsonSchema: () => jsonSchema,
    fromText,
    fromJson: spec.fromJson ?? ((value) => (typeof value === "string" ? fromText(value) : value)),
    toText: spec.toText ?? defaultToText,
    ...(spec.labels ? { labels: Object.freeze(spec.labels.map((l) => Object.freeze({ ...l }))) } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    ...(spec.item ? { item: spec.item } : {}),
    ...(spec.dimensions !== undefined ? { dimensions: spec.dimensions } : {}),
  };
  return Object.freeze(type);
}

/** Turns a JSON value into a value to validate with a type's own hook, or fromText for strings. */
export function fieldValueFromJson(type: FieldType, value: unknown): unknown {
  const hook = (type as Partial<FieldTypeWithJson>).fromJson;
  if (hook) return hook(value);
  return typeof value === "string" ? type.fromText(value) : value;
}

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === "object" && value !== null && "kind" in value && "fromText" in value && "hint" in value;
}

/** What a zod schema made by `t` carries: its FieldType, and for `t.variable` the default. */
export interface FieldMeta {
  readonly fieldType?: FieldType;
  readonly variable?: { readonly default: unknown };
}

/**
 * Schemas made by `t` are registered here. zod registries inherit metadata through `.describe()`,
 * `.meta()` and `.clone()`, so `t.probability().describe("...")` is still a probability. (The
 * metadata is boxed as an opaque object: zod's registry types would otherwise walk the FieldType.)
 */
export const fieldTypeRegistry = z.registry<{ readonly dspex: object }>();

export function registerFieldType<S extends z.ZodType>(schema: S, meta: FieldMeta): S {
  fieldTypeRegistry.add(schema, { dspex: meta });
  return schema;
}

/** The FieldType (and variable default) registered on a schema or one it was cloned from. */
export function fieldMetaOf(schema: z.ZodType): FieldMeta | undefined {
  return fieldTypeRegistry.get(schema)?.dspex as FieldMeta | undefined;
}
