import { makeDemoProgram } from "../make-program";
import type { DemoProgramOptions, DemoTask } from "../types";
import { generateRoutingDataset } from "./generate";
import { routingMetric } from "./metric";
import { routingSignature, type RoutingInputs, type RoutingOutputs } from "./signature";

/** The bundled split: 60 training tickets (10% of labels wrong) and 30 validation tickets. */
export const ROUTING_SEED = 11;

const bundled = generateRoutingDataset({ seed: ROUTING_SEED, train: 60, validation: 30, test: 0 });

export const routingTask: DemoTask<RoutingInputs, RoutingOutputs> = Object.freeze({
  name: "routing",
  description:
    "Support-ticket routing to six queues, where tickets carry traps (negations, earlier issues, typos, jargon, forwarded tickets) and 10% of training labels are wrong: which demos and what the instruction says both matter.",
  signature: routingSignature,
  makeProgram: (options?: DemoProgramOptions) => makeDemoProgram(routingSignature, options),
  dataset: Object.freeze({ train: bundled.train, validation: bundled.validation }),
  metric: routingMetric,
});
