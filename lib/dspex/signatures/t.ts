// `t`: ML-native field types as zod schemas. Each carries its FieldType through `fieldTypeRegistry`,
// so the same value works in `defineSignature({ outputs: { p: t.probability() } })`, inside plain
// zod objects, and behind the shorthand ("p: probability").
import { z } from "zod";
import { registerFieldType } from "./field-type";
import { booleanType, integerType, numberType, stringType } from "./scalar-types";
import { confidenceType, probabilityType, scoreType } from "./bounded-types";
import { labelOptions, labelsType } from "./labels-type";
import { embeddingType, listType, type ListBounds } from "./list-types";
import { jsonType } from "./json-type";
import { describeObjectKeys, fieldTypeOf } from "./zod-field";
import { SignatureInvalidError } from "./signature-invalid-error";

function withType<S extends z.ZodType>(schema: S, make: (schema: S) => ReturnType<typeof stringType>): S {
  return registerFieldType(schema, { fieldType: make(schema) });
}

type LabelsInput<L extends string> = readonly L[] | Readonly<Record<L, string>>;

function checkNumber(what: string, value: number, fix: string): void {
  if (!Number.isFinite(value)) throw new SignatureInvalidError(what, `received ${String(value)}; ${fix}`);
}

export const t = Object.freeze({
  string: () => withType(z.string(), stringType),
  number: () => withType(z.number(), (s) => numberType(s)),
  integer: () => withType(z.number().int(), (s) => integerType(s)),
  boolean: () => withType(z.boolean(), booleanType),
  /** A number from 0 to 1; "80%" reads as 0.8. */
  probability: () => withType(z.number().min(0).max(1), probabilityType),
  /** A number from 0 (unsure) to 1 (certain), described to the model as a confidence. */
  confidence: () => withType(z.number().min(0).max(1), confidenceType),
  /** A number from min to max ("7/10" reads as 7). */
  score: (min: number, max: number) => {
    checkNumber("score", min, "pass finite bounds, e.g. t.score(1, 5)");
    checkNumber("score", max, "pass finite bounds, e.g. t.score(1, 5)");
    if (!(min < max)) throw new SignatureInvalidError("score", `bounds ${min}..${max} are empty; pass min < max, e.g. t.score(1, 5)`);
    return withType(z.number().min(min).max(max), (s) => scoreType(min, max, s));
  },
  /** `t.labels(["a", "b"])` or `t.labels({ a: "when ...", b: "when ..." })`. */
  labels: <const L extends string>(labels: LabelsInput<L>) => {
    const options = labelOptions(labels as readonly string[] | Readonly<Record<string, string>>);
    if (options.length === 0) throw new SignatureInvalidError("labels", "received no labels; pass at least one, e.g. t.labels(['yes', 'no'])");
    const values = options.map((o) => o.value);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) throw new SignatureInvalidError("labels", `label "${dup}" appears twice; list each label once`);
    const schema = z.enum(values as [L, ...L[]]);
    return registerFieldType(schema, { fieldType: labelsType(options, schema) });
  },
  /** A list of items of one type, e.g. `t.list(t.string(), { min: 1, max: 5 })`. */
  list: <S extends z.ZodType>(item: S, bounds: ListBounds = {}) => {
    let schema = z.array(item);
    if (bounds.min !== undefined) schema = schema.min(bounds.min);
    if (bounds.max !== undefined) schema = schema.max(bounds.max);
    return registerFieldType(schema, { fieldType: listType(fieldTypeOf(item), bounds, schema) });
  },
  /** A JSON object: typed by a zod object schema, or any object when none is given. */
  json: <S extends z.ZodType = z.ZodRecord<z.ZodString, z.ZodUnknown>>(schema?: S): S => {
    const own = (schema ? schema.clone() : z.record(z.string(), z.unknown())) as S;
    return registerFieldType(own, { fieldType: jsonType(own, schema ? describeObjectKeys(own) : undefined) });
  },
  /** A vector of exactly `dimensions` numbers. */
  embedding: (dimensions: number) => {
    if (!Number.isInteger(dimensions) || dimensions <= 0) {
      throw new SignatureInvalidError("embedding", `dimensions must be a positive integer; received ${String(dimensions)}, e.g. t.embedding(768)`);
    }
    const schema = z.array(z.number()).length(dimensions);
    return registerFieldType(schema, { fieldType: embeddingType(dimensions, schema) });
  },
  /**
   * A tunable input: its value comes from the program's variables (this default, or what an
   * optimizer or a person set) unless the caller passes one. Exposed as `Field.variable`.
   */
  variable: <S extends z.ZodType>(type: S, options: { default: z.output<S> }) => {
    const fieldType = fieldTypeOf(type);
    const parsed = fieldType.schema.safeParse(options.default);
    if (!parsed.success) {
      throw new SignatureInvalidError("variable", `default ${JSON.stringify(options.default)} is not a valid ${fieldType.hint}; pass a default the type accepts`);
    }
    const schema = type.default(options.default as never) as unknown as z.ZodDefault<S>;
    return registerFieldType(schema, { fieldType, variable: Object.freeze({ default: options.default }) });
  },
});
