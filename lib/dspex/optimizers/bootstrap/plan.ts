import type { PlanInput } from "../types";
import type { BootstrapSettings } from "./options";

/**
 * LM calls one bootstrapping pass can make at most: every training example tried in every round.
 * It stops as soon as enough examples pass, so it usually makes far fewer.
 */
export function bootstrapCallsAtMost(input: Pick<PlanInput, "trainSize" | "callsPerRun">, settings: Pick<BootstrapSettings, "maxBootstrappedDemos" | "maxRounds">): number {
  return settings.maxBootstrappedDemos > 0 ? input.trainSize * settings.maxRounds * input.callsPerRun : 0;
}
