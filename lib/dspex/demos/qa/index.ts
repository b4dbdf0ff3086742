export { qaTask } from "./task";
export { qaSignature, type QaInputs, type QaOutputs } from "./signature";
export { qaMetric } from "./metric";
