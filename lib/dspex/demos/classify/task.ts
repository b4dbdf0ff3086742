import { loadDataset } from "../dataset-file";
import { makeDemoProgram } from "../make-program";
import type { DemoProgramOptions, DemoTask } from "../types";
import raw from "./dataset.json";
import { classifyMetric } from "./metric";
import { ClassifyInputsSchema, ClassifyOutputsSchema, classifySignature, type ClassifyInputs, type ClassifyOutputs } from "./signature";

export const classifyTask: DemoTask<ClassifyInputs, ClassifyOutputs> = Object.freeze({
  name: "classify",
  description: "A support-ticket classifier: billing, bug, feature_request, account_access or other, each label with a one-line description. Scored by exact label match.",
  signature: classifySignature,
  makeProgram: (options?: DemoProgramOptions) => makeDemoProgram(classifySignature, options),
  dataset: loadDataset(raw, { inputs: ClassifyInputsSchema, outputs: ClassifyOutputsSchema }),
  metric: classifyMetric,
});
