import type { z } from "zod";
import type { Signature } from "./types";
import { createSignature, type FieldInit } from "./signature";
import { resolveZodField } from "./zod-field";

export type ZodShape = Readonly<Record<string, z.ZodType>>;

/** What callers pass: inputs with a default (t.variable, .default()) or .optional() may be omitted. */
export type InputsOf<S extends ZodShape> = z.input<z.ZodObject<{ -readonly [K in keyof S]: S[K] }>>;
export type OutputsOf<S extends ZodShape> = z.output<z.ZodObject<{ -readonly [K in keyof S]: S[K] }>>;

export interface SignatureDefinition<I extends ZodShape, O extends ZodShape> {
  readonly instructions?: string;
  readonly inputs: I;
  readonly outputs: O;
}

function fields(shape: ZodShape): FieldInit[] {
  return Object.entries(shape).map(([name, schema]) => {
    const f = resolveZodField(schema);
    return {
      name,
      type: f.type,
      optional: f.optional,
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.variable ? { variable: f.variable } : {}),
    };
  });
}

/**
 * A signature from zod shapes:
 * `defineSignature({ instructions, inputs: { question: z.string().describe("...") }, outputs: { p: t.probability() } })`.
 * Descriptions come from `.describe()`; `.optional()` makes a field optional; `t.variable(type, { default })`
 * (or a zod `.default(v)`) makes an input a variable with that default.
 */
export function defineSignature<I extends ZodShape, O extends ZodShape>(definition: SignatureDefinition<I, O>): Signature<InputsOf<I>, OutputsOf<O>> {
  return createSignature<InputsOf<I>, OutputsOf<O>>({
    ...(definition.instructions !== undefined ? { instructions: definition.instructions } : {}),
    inputs: fields(definition.inputs),
    outputs: fields(definition.outputs),
  });
}
