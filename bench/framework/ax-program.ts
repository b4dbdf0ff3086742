// The bench task as an Ax program: same fields, descriptions and instruction as the DSPEx one.
import { ax } from "@ax-llm/ax";
import { INSTRUCTIONS } from "./task";

export function axProgram() {
  const gen = ax('question:string "a question" -> answer:string "the answer"');
  gen.setInstruction(INSTRUCTIONS);
  return gen;
}
