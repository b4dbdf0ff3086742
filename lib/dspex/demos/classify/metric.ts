import type { Example } from "../../evaluate";
import type { Values } from "../../signatures";

/** 1 when the predicted category is exactly the expected label. */
export function classifyMetric(example: Example, prediction: Values): number {
  return prediction.category === example.outputs.category ? 1 : 0;
}
