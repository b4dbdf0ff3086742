import type { Signature } from "./types";
import type { InferSignature } from "./shorthand-infer";
import { parseShorthand, type ShorthandField } from "./shorthand-parser";
import { createSignature, type FieldInit } from "./signature";
import { SignatureInvalidError } from "./signature-invalid-error";

export interface ShorthandOptions {
  readonly instructions?: string;
  /** Descriptions by field name; they replace a quoted description in the shorthand. */
  readonly descriptions?: Readonly<Record<string, string>>;
}

/**
 * A signature from the shorthand, e.g. `signature("question, context? -> answer, confidence: probability")`.
 * See shorthand-parser.ts for the grammar. Throws SignatureSyntaxError for malformed text.
 */
export function signature<S extends string>(shorthand: S, options: ShorthandOptions = {}): InferSignature<S> {
  const spec = parseShorthand(shorthand);
  const descriptions = options.descriptions ?? {};
  const known = new Set([...spec.inputs, ...spec.outputs].map((f) => f.name));
  for (const name of Object.keys(descriptions)) {
    if (!known.has(name)) throw new SignatureInvalidError(name, `has a description but is not in "${shorthand}"; known fields: ${[...known].join(", ")}`);
  }
  const toInit = (f: ShorthandField): FieldInit => {
    const description = descriptions[f.name] ?? f.description;
    return { name: f.name, type: f.type, optional: f.optional, ...(description !== undefined ? { description } : {}) };
  };
  const built: Signature = createSignature({
    ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
    inputs: spec.inputs.map(toInit),
    outputs: spec.outputs.map(toInit),
  });
  return built as InferSignature<S>;
}
