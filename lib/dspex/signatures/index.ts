// Signatures: what a step takes and returns, as shorthand or zod, with ML-native field types.
export type { FieldKind, LabelOption, FieldType, Field, FieldJSON, SignatureJSON, Signature, Values } from "./types";
export { signature, type ShorthandOptions } from "./shorthand";
export { defineSignature, type SignatureDefinition, type InputsOf, type OutputsOf, type ZodShape } from "./define-signature";
export { createSignature, isSignature, defaultInstructions, type FieldInit, type SignatureSpec } from "./signature";
export { t } from "./t";
export { fieldTypeOf, resolveZodField, type ResolvedField } from "./zod-field";
export { fieldTypeRegistry, fieldMetaOf, fieldValueFromJson, isFieldType, type FieldMeta } from "./field-type";
export { parseShorthand, type ShorthandField, type ShorthandSpec } from "./shorthand-parser";
export { signatureToShorthand, fieldTypeToShorthand } from "./to-shorthand";
export type { InferSignature, InferFields } from "./shorthand-infer";
export { DEFAULT_SCORE_RANGE } from "./bounded-types";
export { SignatureInvalidError } from "./signature-invalid-error";
export { parseJsonText, extractBalanced } from "./json-text";
export { stripFences } from "./text-parsing";
export { toStrictJsonSchema, isStrictJsonSchema } from "./strict-json-schema";
export { issueText } from "./validation";
