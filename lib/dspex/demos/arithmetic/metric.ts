import { toNumber, type Example } from "../../evaluate";
import type { Values } from "../../signatures";

/** 1 when the predicted answer is within 1e-6 of the expected one (numbers in text are read too). */
export function arithmeticMetric(example: Example, prediction: Values): number {
  const want = toNumber(example.outputs.answer);
  const got = toNumber(prediction.answer);
  return want !== undefined && got !== undefined && Math.abs(want - got) <= 1e-6 ? 1 : 0;
}
