// The Signature value: frozen fields, "with" methods that return new signatures, validation with
// checkers built once, the outputs' strict JSON schema, plain-data and shorthand forms.
import type { z } from "zod";
import type { JsonSchema } from "../lm/types";
import type { Field, FieldType, Signature, SignatureJSON, FieldJSON, Values } from "./types";
import { SignatureInvalidError } from "./signature-invalid-error";
import { buildValidators, validateInputValues, validateOutputValues, type Validators } from "./validation";
import { nullable } from "./strict-json-schema";
import { fieldTypeOf } from "./zod-field";
import { signatureToShorthand } from "./to-shorthand";
import { preview } from "./text-parsing";

/** What a field is made from; `type` may be a FieldType or a zod schema (its FieldType is read from it). */
export interface FieldInit {
  readonly name: string;
  readonly type: FieldType | z.ZodType;
  readonly description?: string;
  readonly optional?: boolean;
  readonly variable?: { readonly default: unknown };
}

/**
 * A signature may have no outputs while it is being reshaped (remove the outputs, then append new
 * ones); the adapters refuse to format one.
 */
export interface SignatureSpec {
  /** Omitted or empty: a sentence naming the inputs and outputs, kept in step as fields change. */
  readonly instructions?: string;
  readonly inputs: readonly FieldInit[];
  readonly outputs: readonly FieldInit[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function makeField(init: FieldInit, role: "input" | "output"): Field {
  if (!NAME.test(init.name)) {
    throw new SignatureInvalidError(init.name, "names must start with a letter or _ and hold only letters, digits and _; rename the field");
  }
  if (init.name === "completed") throw new SignatureInvalidError(init.name, 'the name is reserved for the end marker; rename the field');
  if (init.variable && role === "output") throw new SignatureInvalidError(init.name, "only inputs can be variables; drop `variable` from this output");
  const description = init.description?.trim();
  const type = fieldTypeOf(init.type);
  if (init.variable && !type.schema.safeParse(init.variable.default).success) {
    throw new SignatureInvalidError(init.name, `the variable's default ${preview(init.variable.default)} is not a valid ${type.hint}; pass a default the type accepts`);
  }
  return Object.freeze({
    name: init.name,
    role,
    type,
    ...(description ? { description } : {}),
    optional: init.optional ?? false,
    ...(init.variable ? { variable: Object.freeze({ default: init.variable.default }) } : {}),
  });
}

function list(names: readonly Field[]): string {
  return names.map((f) => `\`${f.name}\``).join(", ");
}

export function defaultInstructions(inputs: readonly Field[], outputs: readonly Field[]): string {
  return inputs.length ? `Given the fields ${list(inputs)}, produce the fields ${list(outputs)}.` : `Produce the fields ${list(outputs)}.`;
}

function fieldToJSON(f: Field): FieldJSON {
  const t = f.type;
  return {
    name: f.name,
    kind: t.kind,
    hint: t.hint,
    ...(f.description !== undefined ? { description: f.description } : {}),
    optional: f.optional,
    ...(t.labels ? { labels: t.labels } : {}),
    ...(t.min !== undefined ? { min: t.min } : {}),
    ...(t.max !== undefined ? { max: t.max } : {}),
    ...(t.dimensions !== undefined ? { dimensions: t.dimensions } : {}),
    ...(f.variable ? { variable: f.variable } : {}),
  };
}

class SignatureImpl<I extends Values, O extends Values> implements Signature<I, O> {
  readonly instructions: string;
  readonly inputs: readonly Field[];
  readonly outputs: readonly Field[];
  readonly #custom: string | undefined;
  readonly #byName = new Map<string, Field>();
  #validators: Validators | undefined;
  #jsonSchema: JsonSchema | undefined;

  constructor(spec: SignatureSpec) {
    this.inputs = Object.freeze(spec.inputs.map((f) => makeField(f, "input")));
    this.outputs = Object.freeze(spec.outputs.map((f) => makeField(f, "output")));
    for (const f of [...this.inputs, ...this.outputs]) {
      const prior = this.#byName.get(f.name);
      if (prior) {
        throw new SignatureInvalidError(f.name, `the name is used twice (as ${prior.role} and ${f.role}); each field needs its own name`);
      }
      this.#byName.set(f.name, f);
    }
    const custom = spec.instructions?.trim();
    this.#custom = custom ? custom : undefined;
    this.instructions = this.#custom ?? defaultInstructions(this.inputs, this.outputs);
    Object.freeze(this);
  }

  private get spec(): SignatureSpec {
    return { ...(this.#custom ? { instructions: this.#custom } : {}), inputs: this.inputs, outputs: this.outputs };
  }

  private with(change: Partial<SignatureSpec>): SignatureImpl<Values, Values> {
    return new SignatureImpl({ ...this.spec, ...change });
  }

  field(name: string): Field | undefined {
    return this.#byName.get(name);
  }

  withInstructions(instructions: string): Signature<I, O> {
    return new SignatureImpl<I, O>({ instructions, inputs: this.inputs, outputs: this.outputs });
  }

  prependOutput<K extends string, T>(name: K, type: FieldType | z.ZodType, options: { description?: string } = {}): Signature<I, { [P in K]: T } & O> {
    return this.with({ outputs: [{ name, type, ...options }, ...this.outputs] }) as unknown as Signature<I, { [P in K]: T } & O>;
  }

  appendOutput<K extends string, T>(name: K, type: FieldType | z.ZodType, options: { description?: string; optional?: boolean } = {}): Signature<I, O & { [P in K]: T }> {
    return this.with({ outputs: [...this.outputs, { name, type, ...options }] }) as unknown as Signature<I, O & { [P in K]: T }>;
  }

  appendInput<K extends string, T>(
    name: K,
    type: FieldType | z.ZodType,
    options: { description?: string; optional?: boolean; variable?: { default: unknown } } = {},
  ): Signature<I & { [P in K]: T }, O> {
    return this.with({ inputs: [...this.inputs, { name, type, ...options }] }) as unknown as Signature<I & { [P in K]: T }, O>;
  }

  withoutField(name: string): Signature {
    if (!this.#byName.has(name)) {
      throw new SignatureInvalidError(name, `no such field; known fields: ${[...this.#byName.keys()].join(", ")}`);
    }
    return this.with({ inputs: this.inputs.filter((f) => f.name !== name), outputs: this.outputs.filter((f) => f.name !== name) });
  }

  private get validators(): Validators {
    return (this.#validators ??= buildValidators(this.inputs, this.outputs));
  }

  validateInputs(values: unknown, module = "Signature"): I {
    return validateInputValues<I>(this.validators, values, module);
  }

  validateOutputs(values: unknown, module = "Signature"): O {
    return validateOutputValues<O>(this.validators, values, module);
  }

  outputJsonSchema(): JsonSchema {
    if (this.#jsonSchema) return this.#jsonSchema;
    const properties: Record<string, JsonSchema> = {};
    for (const f of this.outputs) {
      const base = f.description ? { ...f.type.jsonSchema(), description: f.description } : f.type.jsonSchema();
      properties[f.name] = f.optional ? nullable(base) : base;
    }
    return (this.#jsonSchema = Object.freeze({ type: "object", properties: Object.freeze(properties), required: Object.freeze(this.outputs.map((f) => f.name)), additionalProperties: false }));
  }

  toJSON(): SignatureJSON {
    return { instructions: this.instructions, inputs: this.inputs.map(fieldToJSON), outputs: this.outputs.map(fieldToJSON) };
  }

  toString(): string {
    return signatureToShorthand(this);
  }
}

/** Builds a signature from fields (the shorthand and the zod form both end here). */
export function createSignature<I extends Values = Values, O extends Values = Values>(spec: SignatureSpec): Signature<I, O> {
  return new SignatureImpl<I, O>(spec);
}

export function isSignature(value: unknown): value is Signature {
  return value instanceof SignatureImpl;
}
