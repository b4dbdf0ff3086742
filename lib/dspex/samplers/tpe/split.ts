// Splits the history into the good group (l) and the rest (g). Single objective: the gamma(n)
// lowest losses. Several objectives (MOTPE): whole non-domination fronts, the last one cut by
// greedy hypervolume subset selection. Running trials join the bad group (the constant liar), so
// parallel asks steer away from configurations already being evaluated.
import type { Config } from "../../variables";
import { nonDominationRanks } from "../pareto";
import { byLoss, type ScoredTrial } from "../scores";
import type { TrialRecord } from "../types";
import { selectByHypervolume, hypervolumeWeights } from "./mo-selection";

export interface Observation {
  readonly number: number;
  readonly config: Config;
  /** Extra kernel weight (full evaluations when weightFullEvaluations > 1). */
  readonly factor: number;
}

export interface Split {
  /** Good trials, in trial order. */
  readonly below: readonly Observation[];
  /** The rest (and running trials), in trial order. */
  readonly above: readonly Observation[];
  /** Several objectives: each good trial's kernel weight (its hypervolume contribution). */
  readonly belowWeights: Float64Array | null;
}

export function splitTrials(scored: readonly ScoredTrial[], running: readonly TrialRecord[], nBelow: number, weightFull: number): Split {
  const n = Math.max(0, Math.min(nBelow, scored.length));
  const multi = (scored[0]?.loss.length ?? 1) > 1;
  const isGood = new Set(multi ? selectGoodMulti(scored, n) : lowestLosses(scored, n));
  const observe = (t: TrialRecord): Observation => ({ number: t.number, config: t.config, factor: t.evaluation === "full" ? weightFull : 1 });
  const good: ScoredTrial[] = [];
  const rest: TrialRecord[] = [];
  for (const s of scored) {
    if (isGood.has(s)) good.push(s);
    else rest.push(s.trial);
  }
  good.sort(byNumber);
  rest.push(...running);
  // The history comes in trial order; sorting only matters when it does not (or running trials join).
  if (!isSorted(rest)) rest.sort((a, b) => a.number - b.number);
  return { below: good.map((s) => observe(s.trial)), above: rest.map(observe), belowWeights: multi ? hypervolumeWeights(good.map((s) => s.loss)) : null };
}

function isSorted(trials: readonly TrialRecord[]): boolean {
  for (let i = 1; i < trials.length; i++) if (trials[i]!.number < trials[i - 1]!.number) return false;
  return true;
}

function byNumber(a: ScoredTrial, b: ScoredTrial): number {
  return a.trial.number - b.trial.number;
}

/** The n lowest losses, ties to the older trial (the same as sorting by loss, then number). */
function lowestLosses(scored: readonly ScoredTrial[], n: number): ScoredTrial[] {
  if (n === 0) return [];
  const losses = new Float64Array(scored.length);
  for (let i = 0; i < scored.length; i++) losses[i] = scored[i]!.loss[0]!;
  const cut = losses.sort()[n - 1]!;
  const strict: ScoredTrial[] = [];
  const tied: ScoredTrial[] = [];
  for (const s of scored) {
    if (s.loss[0]! < cut) strict.push(s);
    else if (s.loss[0] === cut) tied.push(s);
  }
  return [...strict, ...tied.sort(byLoss).slice(0, n - strict.length)];
}

function selectGoodMulti(scored: readonly ScoredTrial[], n: number): ScoredTrial[] {
  if (n === 0) return [];
  const fronts = frontsOf(scored);
  const good: ScoredTrial[] = [];
  for (const front of fronts) {
    if (good.length + front.length <= n) {
      good.push(...front);
      if (good.length === n) break;
      continue;
    }
    const picked = selectByHypervolume(
      front.map((s) => s.loss),
      n - good.length,
    );
    good.push(...picked.map((i) => front[i]!));
    break;
  }
  return good;
}

function frontsOf(scored: readonly ScoredTrial[]): ScoredTrial[][] {
  const ranks = nonDominationRanks(scored.map((s) => s.loss));
  const fronts: ScoredTrial[][] = [];
  scored.forEach((s, i) => (fronts[ranks[i]!] ??= []).push(s));
  return fronts;
}
