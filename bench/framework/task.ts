// The one task every framework bench runs: a short question answered in one field.
import { Predict } from "../../lib/dspex";

export const INSTRUCTIONS = "Answer the question briefly.";
export const QUESTION = "What is the capital of France?";

export function dspexProgram() {
  return new Predict("question -> answer", { instructions: INSTRUCTIONS });
}
