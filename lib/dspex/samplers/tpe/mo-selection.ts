// Multi-objective pieces of MOTPE, on loss vectors (lower is better): which points of the last
// front join the good group, and how much each good trial weighs. Both use hypervolume for up to
// three objectives; beyond, crowding distance and equal weights (hypervolume grows as n^(d-1)).
import { crowdingDistance, lossHypervolume } from "../pareto";

const EPS = 1e-12;
const MAX_HYPERVOLUME_OBJECTIVES = 3;

/** A reference point just worse than every point (10% of each objective's spread beyond the worst). */
export function referencePoint(losses: readonly (readonly number[])[]): number[] {
  const d = losses[0]?.length ?? 0;
  return Array.from({ length: d }, (_, j) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const p of losses) {
      lo = Math.min(lo, p[j]!);
      hi = Math.max(hi, p[j]!);
    }
    return hi + Math.max(0.1 * (hi - lo), 1e-9 * Math.max(1, Math.abs(hi)));
  });
}

/**
 * Greedy hypervolume subset selection: k indices of the points, each step adding the point that
 * adds the most hypervolume to those already chosen (ties: the earlier point).
 */
export function selectByHypervolume(losses: readonly (readonly number[])[], k: number): number[] {
  if (k >= losses.length) return losses.map((_, i) => i);
  const d = losses[0]?.length ?? 0;
  if (d > MAX_HYPERVOLUME_OBJECTIVES) {
    const crowd = crowdingDistance(losses);
    return losses
      .map((_, i) => i)
      .sort((a, b) => crowd[b]! - crowd[a]! || a - b)
      .slice(0, k);
  }
  const ref = referencePoint(losses);
  const chosen: number[] = [];
  const left = new Set(losses.map((_, i) => i));
  let base = 0;
  while (chosen.length < k) {
    let best = -1;
    let bestGain = Number.NEGATIVE_INFINITY;
    for (const i of left) {
      const gain = lossHypervolume([...chosen.map((c) => losses[c]!), losses[i]!], ref) - base;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
    base += bestGain;
  }
  return chosen;
}

/** Kernel weights of the good trials: hypervolume contributions scaled so the largest is 1. */
export function hypervolumeWeights(losses: readonly (readonly number[])[]): Float64Array {
  const n = losses.length;
  const out = new Float64Array(n).fill(1);
  if (n <= 1 || (losses[0]?.length ?? 0) > MAX_HYPERVOLUME_OBJECTIVES) return out;
  const ref = referencePoint(losses);
  const total = lossHypervolume(losses, ref);
  let max = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.max(0, total - lossHypervolume(losses.filter((_, j) => j !== i), ref)) + EPS;
    max = Math.max(max, out[i]!);
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / max;
  return out;
}
