import { z } from "zod";
import { defineSignature, t } from "../../signatures";

export const arithmeticSignature = defineSignature({
  instructions: "Solve the word problem.",
  inputs: { problem: z.string().describe("A short word problem about whole quantities.") },
  outputs: { answer: t.number().describe("The final quantity, as a number.") },
});

export const ArithmeticInputsSchema = z.object({ problem: z.string().min(1) });
export const ArithmeticOutputsSchema = z.object({ answer: z.number().int() });
export type ArithmeticInputs = z.infer<typeof ArithmeticInputsSchema>;
export type ArithmeticOutputs = z.infer<typeof ArithmeticOutputsSchema>;
