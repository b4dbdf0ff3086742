import { jsonKey, type Config } from "../variables";
import type { Study } from "./study";
import type { TrialResult } from "./types";

/** Mean minibatch score per configuration, over every minibatch trial of it. */
export function minibatchMeans(trials: readonly TrialResult[]): Map<string, { config: Config; mean: number; count: number }> {
  const out = new Map<string, { config: Config; sum: number; count: number }>();
  for (const t of trials) {
    if (t.state !== "complete" || t.evaluation !== "minibatch" || t.score === undefined || t.set === "train") continue;
    const key = jsonKey(t.config);
    const e = out.get(key) ?? { config: t.config, sum: 0, count: 0 };
    e.sum += t.score;
    e.count++;
    out.set(key, e);
  }
  return new Map([...out].map(([k, e]) => [k, { config: e.config, mean: e.sum / e.count, count: e.count }]));
}

/** Configurations with minibatch scores and no full score, the best mean first. */
export function unverifiedByMinibatchMean(study: Study): Config[] {
  const full = new Set(study.trials.filter((t) => t.evaluation === "full" && t.state === "complete").map((t) => jsonKey(t.config)));
  return [...minibatchMeans(study.trials)]
    .filter(([key]) => !full.has(key))
    .sort((a, b) => b[1].mean - a[1].mean)
    .map(([, e]) => e.config);
}

/**
 * Scores on the full validation set the configuration with the best mean minibatch score that
 * has no full score yet (the MIPROv2 rule: minibatches explore, full evaluations decide), when
 * the budget can pay for the examples it has no score for yet besides the final reserve.
 */
export async function evaluateBestMinibatchConfig(study: Study, meta: Record<string, string> = { role: "full-check" }): Promise<TrialResult | undefined> {
  const top = unverifiedByMinibatchMean(study)[0];
  if (!top || !study.affords(study.valset.length - study.scoresOf(top).size)) return undefined;
  const { result, refused } = await study.evaluate(top, { meta });
  return refused ? undefined : result;
}
