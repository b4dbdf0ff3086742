import { z } from "zod";
import { defineSignature } from "../../signatures";

export const qaSignature = defineSignature({
  instructions: "Answer questions about DSPEx.",
  inputs: {
    context: z.string().describe("A passage about DSPEx."),
    question: z.string().describe("A question about the passage."),
  },
  outputs: { answer: z.string().describe("The answer.") },
});

export const QaInputsSchema = z.object({ context: z.string().min(1), question: z.string().min(1) });
export const QaOutputsSchema = z.object({ answer: z.string().min(1) });
export type QaInputs = z.infer<typeof QaInputsSchema>;
export type QaOutputs = z.infer<typeof QaOutputsSchema>;
