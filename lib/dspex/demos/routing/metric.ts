import type { Example } from "../../evaluate";
import type { Values } from "../../signatures";

/** 1 when the predicted queue is exactly the expected one. */
export function routingMetric(example: Example, prediction: Values): number {
  return prediction.queue === example.outputs.queue ? 1 : 0;
}
