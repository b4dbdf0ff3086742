import { z } from "zod";
import { ROUTING_LABEL_NAMES, ROUTING_LABELS, type RoutingLabel } from "../../demo-lm/routing-lexicon";
import { defineSignature, t } from "../../signatures";

export const routingSignature = defineSignature({
  instructions: "Route the support ticket to a queue.",
  inputs: { ticket: z.string().describe("A customer's support ticket.") },
  outputs: { queue: t.labels(ROUTING_LABELS) },
});

export const RoutingInputsSchema = z.object({ ticket: z.string().min(1) });
export const RoutingOutputsSchema = z.object({ queue: z.enum(ROUTING_LABEL_NAMES as [RoutingLabel, ...RoutingLabel[]]) });
export type RoutingInputs = z.infer<typeof RoutingInputsSchema>;
export type RoutingOutputs = z.infer<typeof RoutingOutputsSchema>;
