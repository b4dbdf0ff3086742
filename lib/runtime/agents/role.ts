// A role made into a module: signature + instructions -> Predict (or ChainOfThought), or a module as given.
import { ChainOfThought, Predict, type LMSettings, type Module } from "../../dspex";
import { AgentError } from "./errors";
import type { RoleSpec } from "./types";

export function roleModule(owner: string, role: RoleSpec, settings: LMSettings): Module {
  if ("signature" in role) {
    const predict = new Predict(role.signature, { ...(role.instructions !== undefined && { instructions: role.instructions }), settings });
    return role.module === "chain-of-thought" ? ChainOfThought.fromPredict(predict) : predict;
  }
  if (typeof role.module !== "object" || role.module === null || typeof role.module.run !== "function") {
    throw new AgentError("OPTION_INVALID", `${owner}: role "${role.name}" needs a signature ("question -> answer") or a module (new Predict(...))`, owner);
  }
  return role.module;
}
