import { jsonKey, type Config } from "../variables";
import type { Study } from "./study";
import type { TrialResult } from "./types";

/**
 * The complete full-validation trial of a configuration, if the study already has one (the
 * baseline is trial 0): optimizers reuse it instead of paying for the same evaluation again.
 */
export function findFullTrial(study: Study, config: Config): TrialResult | undefined {
  const key = jsonKey(study.space.complete(config));
  return study.trials.find((t) => t.state === "complete" && t.evaluation === "full" && t.scores !== undefined && jsonKey(t.config) === key);
}
