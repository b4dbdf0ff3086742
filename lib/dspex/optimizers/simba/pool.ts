import type { Rng } from "../../random";
import type { Config } from "../../variables";

/** A program SIMBA knows: the baseline (id 0) or a candidate, with the minibatch scores it earned. */
export interface SimbaProgram {
  readonly id: number;
  readonly config: Config;
  readonly scores: readonly number[];
}

/** Mean of a program's scores (0 when it has none yet). */
export function meanScore(program: SimbaProgram): number {
  return program.scores.length ? program.scores.reduce((s, x) => s + x, 0) / program.scores.length : 0;
}

/**
 * The ids of the k programs with the best mean score, always including the baseline (id 0): it
 * takes the last place when it is not among the k.
 */
export function topKPlusBaseline(programs: readonly SimbaProgram[], k: number): number[] {
  const ranked = programs
    .map((p, index) => ({ p, index, mean: meanScore(p) }))
    .sort((a, b) => b.mean - a.mean || a.index - b.index)
    .slice(0, k)
    .map((e) => e.p.id);
  if (ranked.length > 0 && !ranked.includes(0)) ranked[ranked.length - 1] = 0;
  return [...new Set(ranked)];
}

/** Softmax weights exp(mean / temperature) of the given programs, normalised. */
export function softmaxWeights(means: readonly number[], temperature: number): number[] {
  if (means.length === 0) return [];
  const top = Math.max(...means);
  const exps = means.map((m) => Math.exp((m - top) / temperature));
  const sum = exps.reduce((s, x) => s + x, 0);
  return exps.map((x) => x / sum);
}

/** One of `ids`, drawn with probability softmax(mean score / temperature). */
export function softmaxPick(rng: Rng, programs: readonly SimbaProgram[], ids: readonly number[], temperature: number): number {
  const byId = new Map(programs.map((p) => [p.id, p]));
  const weights = softmaxWeights(
    ids.map((id) => meanScore(byId.get(id)!)),
    temperature,
  );
  return ids[rng.weightedIndex(weights)]!;
}

/**
 * Which step winners get a full evaluation at the end: `n` positions spread evenly over the
 * winners (the baseline first, the last step's winner last), without repeats.
 */
export function finalistPositions(winners: number, n: number): number[] {
  const m = winners - 1;
  if (m < 1 || n < 2) return [0];
  const positions = Array.from({ length: n }, (_, i) => roundHalfEven((i * m) / (n - 1)));
  return [...new Set(positions)];
}

/** Rounds to the nearest integer, halves to the even one (as Python's round does). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (Math.abs(diff - 0.5) < 1e-12) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(x);
}
