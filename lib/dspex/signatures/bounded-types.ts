// Bounded numbers with a meaning: probability (0..1), confidence (0..1), score (min..max).
import { z } from "zod";
import type { FieldKind } from "./types";
import { defineFieldType, type FieldTypeWithJson } from "./field-type";
import { readNumber } from "./text-parsing";

/** "0.8" -> 0.8, "80%" -> 0.8; text that holds no number is returned trimmed so validation can name it. */
function unitFromText(text: string): unknown {
  const n = readNumber(text);
  if (!n) return text.trim();
  return n.percent ? n.value / 100 : n.value;
}

function unitType(kind: FieldKind, hint: string, schema: z.ZodType): FieldTypeWithJson {
  return defineFieldType({
    kind,
    schema,
    hint,
    jsonSchema: { type: "number", minimum: 0, maximum: 1 },
    fromText: unitFromText,
    fromJson: (value) => (typeof value === "string" ? unitFromText(value) : value),
    toText: String,
    min: 0,
    max: 1,
  });
}

export function probabilityType(schema: z.ZodType = z.number().min(0).max(1)): FieldTypeWithJson {
  return unitType("probability", "probability: a number from 0 to 1", schema);
}

export function confidenceType(schema: z.ZodType = z.number().min(0).max(1)): FieldTypeWithJson {
  return unitType("confidence", "confidence: a number from 0 (unsure) to 1 (certain)", schema);
}

/** The default range of `score` written without bounds in the shorthand. */
export const DEFAULT_SCORE_RANGE = Object.freeze({ min: 0, max: 10 });

/** A bounded number: "7", "7/10", "7 out of 10" -> 7. */
export function scoreType(min: number, max: number, schema: z.ZodType = z.number().min(min).max(max)): FieldTypeWithJson {
  const fromText = (text: string): unknown => readNumber(text)?.value ?? text.trim();
  return defineFieldType({
    kind: "score",
    schema,
    hint: `score: a number from ${min} to ${max}`,
    jsonSchema: { type: "number", minimum: min, maximum: max },
    fromText,
    fromJson: (value) => (typeof value === "string" ? fromText(value) : value),
    toText: String,
    min,
    max,
  });
}
