// The program factory every demo task shares: Predict by default, ChainOfThought on request.
import { ChainOfThought, Predict, type Module } from "../modules";
import type { Signature, Values } from "../signatures";
import type { DemoProgramOptions } from "./types";

export function makeDemoProgram<I extends Values, O extends Values>(signature: Signature<I, O>, options: DemoProgramOptions = {}): Module<I, Values> {
  const params = {
    ...(options.instructions !== undefined ? { instructions: options.instructions } : {}),
    ...(options.demos ? { demos: options.demos } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  };
  return options.module === "chain-of-thought" ? new ChainOfThought(signature, params) : new Predict(signature, params);
}
