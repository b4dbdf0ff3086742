// The shape of a signature, as every other part of the framework sees it. The implementation
// (shorthand parser, zod form, ML-native types) lives beside this file.
import type { z } from "zod";
import type { JsonSchema } from "../lm/types";

export type FieldKind =
  | "string"
  | "number"
  | "integer"
  | "boolean"
  | "probability"
  | "confidence"
  | "labels"
  | "score"
  | "list"
  | "json"
  | "embedding";

export interface LabelOption {
  readonly value: string;
  readonly description?: string;
}

/** A field's type: how it validates, how it is described to the model, how text becomes a value. */
export interface FieldType {
  readonly kind: FieldKind;
  /** Validates a value of this type (the single source of truth for what is allowed). */
  readonly schema: z.ZodType;
  /** A short description for prompts, e.g. "a probability from 0 to 1". */
  readonly hint: string;
  /** JSON schema for structured outputs. */
  jsonSchema(): JsonSchema;
  /** Turns the model's text for this field into a value to validate ("0.8" -> 0.8, a JSON list -> array). */
  fromText(text: string): unknown;
  /** Renders a value for a prompt. */
  toText(value: unknown): string;
  /** For "labels": the allowed labels with their descriptions. */
  readonly labels?: readonly LabelOption[];
  /** For "score", "probability", "confidence": the bounds. */
  readonly min?: number;
  readonly max?: number;
  /** For "list": the item type. */
  readonly item?: FieldType;
  /** For "embedding": the vector length. */
  readonly dimensions?: number;
}

export interface Field {
  readonly name: string;
  readonly role: "input" | "output";
  readonly type: FieldType;
  readonly description?: string;
  readonly optional: boolean;
  /**
   * A tunable input: its value comes from the program's variables (this default, or what an
   * optimizer or a person set) unless the caller passes one.
   */
  readonly variable?: { readonly default: unknown };
}

/** Plain-data form of a signature, for saving, for the dashboard and for comparing versions. */
export interface SignatureJSON {
  readonly instructions: string;
  readonly inputs: readonly FieldJSON[];
  readonly outputs: readonly FieldJSON[];
}

export interface FieldJSON {
  readonly name: string;
  readonly kind: FieldKind;
  readonly hint: string;
  readonly description?: string;
  readonly optional: boolean;
  readonly labels?: readonly LabelOption[];
  readonly min?: number;
  readonly max?: number;
  readonly dimensions?: number;
  readonly variable?: { readonly default: unknown };
}

export type Values = Record<string, unknown>;

/**
 * An immutable description of a step's inputs and outputs. Every "with" method returns a new
 * signature and leaves this one unchanged.
 */
export interface Signature<I extends Values = Values, O extends Values = Values> {
  readonly instructions: string;
  readonly inputs: readonly Field[];
  readonly outputs: readonly Field[];
  field(name: string): Field | undefined;
  withInstructions(instructions: string): Signature<I, O>;
  /** Adds an output before the others (ChainOfThought adds "reasoning" this way). `type` may also be a zod schema such as `t.string()`. */
  prependOutput<K extends string, T>(name: K, type: FieldType | z.ZodType, options?: { description?: string }): Signature<I, { [P in K]: T } & O>;
  appendOutput<K extends string, T>(name: K, type: FieldType | z.ZodType, options?: { description?: string; optional?: boolean }): Signature<I, O & { [P in K]: T }>;
  /** `variable: { default }` makes the input tunable (see Field.variable). */
  appendInput<K extends string, T>(
    name: K,
    type: FieldType | z.ZodType,
    options?: { description?: string; optional?: boolean; variable?: { readonly default: unknown } },
  ): Signature<I & { [P in K]: T }, O>;
  withoutField(name: string): Signature;
  /** Validates (and coerces, e.g. trims) inputs; throws InputValidationError naming each bad field. */
  validateInputs(values: unknown, module?: string): I;
  /** Validates outputs; throws OutputValidationError naming each bad field. */
  validateOutputs(values: unknown, module?: string): O;
  /** JSON schema of the outputs object, for structured outputs. */
  outputJsonSchema(): JsonSchema;
  toJSON(): SignatureJSON;
  /** The shorthand form, e.g. "question, context? -> answer, confidence: probability". */
  toString(): string;
}
