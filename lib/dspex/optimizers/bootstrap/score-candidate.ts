import type { Config, JsonValue } from "../../variables";
import { findFullTrial } from "../find-full-trial";
import type { OptimizerContext, TrialResult } from "../types";

/**
 * A configuration's full validation score: the study's own when it already has one (the baseline,
 * a duplicate candidate), else a new full evaluation. Undefined once the budget is spent.
 */
export async function scoreOnValidation(ctx: OptimizerContext, config: Config, meta: Readonly<Record<string, JsonValue>>): Promise<TrialResult | undefined> {
  const known = findFullTrial(ctx.study, config);
  if (known) return known;
  if (ctx.study.shouldStop()) return undefined;
  const { result } = await ctx.study.evaluate(config, { meta });
  return result.state === "complete" ? result : undefined;
}
