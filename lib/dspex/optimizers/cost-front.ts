import type { TrialResult } from "./types";

/** One fully validated configuration as a point of quality against cost. */
export interface CostPoint {
  readonly trial: number;
  readonly score: number;
  /** Standard error of the score (per-example standard deviation / sqrt(n)). */
  readonly standardError: number;
  /** Mean cost of one prediction of this configuration, in dollars. */
  readonly costPerExample: number;
  readonly config: TrialResult["config"];
}

/** The quality-cost view of an optimization, when prices are known. */
export interface CostAwareResult {
  /** Configurations no other beats on both score and cost, cheapest first. */
  readonly front: readonly CostPoint[];
  /** The best score. */
  readonly best: CostPoint;
  /** The cheapest configuration whose score is within one standard error of the best one's. */
  readonly cheapestWithin1SE: CostPoint;
}

function point(t: TrialResult, costPerExample: number): CostPoint | undefined {
  const scores = t.scores;
  if (!scores || scores.length === 0 || t.score === undefined) return undefined;
  const n = scores.length;
  const mean = t.score;
  const variance = n > 1 ? scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { trial: t.number, score: mean, standardError: Math.sqrt(variance / n), costPerExample, config: t.config };
}

/**
 * The quality-cost Pareto front of the fully validated configurations and the cheapest one
 * within one standard error of the best ("one-SE rule"); undefined when no configuration has a
 * known cost (no prices).
 */
export function costAware(trials: readonly TrialResult[], costPerExample: (t: TrialResult) => number | undefined): CostAwareResult | undefined {
  const seen = new Set<string>();
  const points: CostPoint[] = [];
  for (const t of trials) {
    if (t.state !== "complete" || t.evaluation !== "full") continue;
    const key = JSON.stringify(t.config);
    if (seen.has(key)) continue;
    seen.add(key);
    const cost = costPerExample(t);
    const p = cost !== undefined ? point(t, cost) : undefined;
    if (p) points.push(p);
  }
  if (points.length === 0 || points.every((p) => p.costPerExample <= 0)) return undefined;
  const front = points
    .filter((a) => !points.some((b) => b !== a && b.score >= a.score && b.costPerExample <= a.costPerExample && (b.score > a.score || b.costPerExample < a.costPerExample)))
    .sort((a, b) => a.costPerExample - b.costPerExample);
  const best = points.reduce((a, b) => (b.score > a.score ? b : a));
  const cheapestWithin1SE = points.filter((p) => p.score >= best.score - best.standardError).reduce((a, b) => (b.costPerExample < a.costPerExample || (b.costPerExample === a.costPerExample && b.score > a.score) ? b : a));
  return { front, best, cheapestWithin1SE };
}
