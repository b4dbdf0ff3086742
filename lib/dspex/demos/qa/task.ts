import { loadDataset } from "../dataset-file";
import { makeDemoProgram } from "../make-program";
import type { DemoProgramOptions, DemoTask } from "../types";
import raw from "./dataset.json";
import { qaMetric } from "./metric";
import { QaInputsSchema, QaOutputsSchema, qaSignature, type QaInputs, type QaOutputs } from "./signature";

export const qaTask: DemoTask<QaInputs, QaOutputs> = Object.freeze({
  name: "qa",
  description: "A bot that answers questions about DSPEx from a context passage; every answer is a short span of the passage. Scored by token F1.",
  signature: qaSignature,
  makeProgram: (options?: DemoProgramOptions) => makeDemoProgram(qaSignature, options),
  dataset: loadDataset(raw, { inputs: QaInputsSchema, outputs: QaOutputsSchema }),
  metric: qaMetric,
});
