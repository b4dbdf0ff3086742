export { routingTask, ROUTING_SEED } from "./task";
export { routingSignature, RoutingInputsSchema, RoutingOutputsSchema, type RoutingInputs, type RoutingOutputs } from "./signature";
export { routingMetric } from "./metric";
export { generateRoutingDataset, type RoutingDatasetOptions, type RoutingSplits } from "./generate";
