import type { Config, JsonValue } from "../../variables";
import { findFullTrial } from "../find-full-trial";
import type { OptimizerContext, TrialResult } from "../types";

/**
 * A configuration's full validation score: the study's own when it already has one (the baseline,
 * a duplicate candidate), else a full evaluation (scores already earned on some examples are
 * reused). `finalist`: this is the optimizer's final candidate, which may use the calls set aside
 * to validate it. Undefined when the budget cannot pay for it.
 */
export async function scoreOnValidation(ctx: OptimizerContext, config: Config, meta: Readonly<Record<string, JsonValue>>, options: { finalist?: boolean } = {}): Promise<TrialResult | undefined> {
  const known = findFullTrial(ctx.study, config);
  if (known) return known;
  if (ctx.study.shouldStop()) return undefined;
  const { result, refused } = await ctx.study.evaluate(config, { meta, ...(options.finalist ? { finalist: true } : {}) });
  if (refused) ctx.log(`${String(meta.role ?? "candidate")} not scored on the validation set: ${refused}`);
  return result.state === "complete" ? result : undefined;
}
