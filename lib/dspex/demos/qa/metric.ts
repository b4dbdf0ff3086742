import { normalizeText, tokenF1, type Example } from "../../evaluate";
import type { Values } from "../../signatures";

/** Token F1 between the normalised predicted and expected answers (lower case, no punctuation or articles). */
export function qaMetric(example: Example, prediction: Values): number {
  return tokenF1(normalizeText(prediction.answer), normalizeText(example.outputs.answer));
}
