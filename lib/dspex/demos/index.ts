// The bundled demo tasks: each a signature, a program factory, a fixed train / validation split
// and a metric, small enough to optimize in seconds against the offline demo model.
import { arithmeticTask } from "./arithmetic";
import { classifyTask } from "./classify";
import { qaTask } from "./qa";
import type { DemoTask } from "./types";

export { arithmeticTask, arithmeticSignature, arithmeticMetric, generateArithmeticDataset, arithmeticDatasetText, ARITHMETIC_SEED, ARITHMETIC_COUNT } from "./arithmetic";
export type { ArithmeticInputs, ArithmeticOutputs } from "./arithmetic";
export { qaTask, qaSignature, qaMetric, type QaInputs, type QaOutputs } from "./qa";
export { classifyTask, classifySignature, classifyMetric, TICKET_CATEGORIES, type TicketCategory, type ClassifyInputs, type ClassifyOutputs } from "./classify";
export { routingTask, routingSignature, routingMetric, generateRoutingDataset, ROUTING_SEED, type RoutingInputs, type RoutingOutputs, type RoutingDatasetOptions, type RoutingSplits } from "./routing";
export { DatasetFileSchema, DatasetRecordSchema, loadDataset, type DatasetFile, type DatasetRecord } from "./dataset-file";
export type { DemoTask, DemoDataset, DemoMetric, DemoModuleKind, DemoProgramOptions } from "./types";

export const DEMO_TASKS: readonly DemoTask[] = Object.freeze([qaTask, classifyTask, arithmeticTask]);

/** A bundled task by name, or undefined. */
export function demoTask(name: string): DemoTask | undefined {
  return DEMO_TASKS.find((task) => task.name === name);
}
