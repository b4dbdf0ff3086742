// Pareto utilities over objective values: dominance, non-dominated sorting, crowding distance and
// exact hypervolume. Values are given as the objectives report them; each objective's direction
// says whether larger or smaller is better.
import { DspexError } from "../errors";
import type { Objective } from "./types";

/** Anything with objective values (a TrialRecord, a ScoredTrial, a plain `{ values }`). */
export interface HasValues {
  readonly values?: readonly number[];
}

function lossOf(values: readonly number[], objectives: readonly Objective[]): number[] {
  return objectives.map((o, i) => (o.direction === "maximize" ? -values[i]! : values[i]!));
}

function checkLength(what: string, values: readonly number[], objectives: readonly Objective[]): void {
  if (values.length !== objectives.length) {
    throw new DspexError("OPTION_INVALID", `${what} has ${values.length} value(s) but there are ${objectives.length} objective(s); pass one value per objective, in objective order`);
  }
}

/** Whether loss vector a dominates b: no worse everywhere, strictly better somewhere. */
function lossDominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** True when `a` is at least as good as `b` on every objective and better on one. */
export function dominates(a: readonly number[], b: readonly number[], objectives: readonly Objective[]): boolean {
  checkLength("dominates: the first point", a, objectives);
  checkLength("dominates: the second point", b, objectives);
  return lossDominates(lossOf(a, objectives), lossOf(b, objectives));
}

function usable(item: HasValues, objectives: readonly Objective[]): boolean {
  const v = item.values;
  return v !== undefined && v.length === objectives.length && v.every(Number.isFinite);
}

/**
 * Non-domination rank of each loss vector (0 = not dominated by any). A point can only be
 * dominated by one that comes before it in lexicographic order, so one sweep over the sorted
 * points gives each rank as one more than the highest rank among its dominators.
 */
export function nonDominationRanks(losses: readonly (readonly number[])[]): number[] {
  const order = losses.map((_, i) => i).sort((i, j) => compareLex(losses[i]!, losses[j]!) || i - j);
  const ranks = new Array<number>(losses.length).fill(0);
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    let rank = 0;
    for (let b = 0; b < a; b++) {
      const j = order[b]!;
      if (ranks[j]! + 1 > rank && lossDominates(losses[j]!, losses[i]!)) rank = ranks[j]! + 1;
    }
    ranks[i] = rank;
  }
  return ranks;
}

function compareLex(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Fronts of non-dominated items, best first (items keep their given order within a front).
 * Items without one finite value per objective are left out.
 */
export function nonDominatedSort<T extends HasValues>(items: readonly T[], objectives: readonly Objective[]): T[][] {
  const kept = items.filter((t) => usable(t, objectives));
  const ranks = nonDominationRanks(kept.map((t) => lossOf(t.values!, objectives)));
  const fronts: T[][] = [];
  kept.forEach((t, i) => (fronts[ranks[i]!] ??= []).push(t));
  return fronts;
}

/** The items no other item dominates. */
export function paretoFront<T extends HasValues>(items: readonly T[], objectives: readonly Objective[]): T[] {
  return nonDominatedSort(items, objectives)[0] ?? [];
}

/**
 * NSGA-II crowding distance of each point within its front: the sum over objectives of the gap
 * between its neighbours, divided by the objective's range. The extremes get Infinity.
 */
export function crowdingDistance(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const out = new Array<number>(n).fill(0);
  if (n === 0) return out;
  if (n <= 2) return out.fill(Number.POSITIVE_INFINITY);
  const m = points[0]!.length;
  for (let k = 0; k < m; k++) {
    const order = points.map((_, i) => i).sort((i, j) => points[i]![k]! - points[j]![k]! || i - j);
    const lo = points[order[0]!]![k]!;
    const hi = points[order[n - 1]!]![k]!;
    out[order[0]!] = Number.POSITIVE_INFINITY;
    out[order[n - 1]!] = Number.POSITIVE_INFINITY;
    if (hi === lo) continue;
    for (let a = 1; a < n - 1; a++) {
      const i = order[a]!;
      out[i]! += (points[order[a + 1]!]![k]! - points[order[a - 1]!]![k]!) / (hi - lo);
    }
  }
  return out;
}

/**
 * The volume of objective space dominated by the points and bounded by the reference point
 * (which must be worse than the points on every objective to count them). Exact for any number
 * of objectives: 2-D by a sweep, more by slicing along the last objective (O(n^(d-1) log n)).
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[], objectives: readonly Objective[]): number {
  checkLength("hypervolume: the reference point", reference, objectives);
  points.forEach((p, i) => checkLength(`hypervolume: point ${i}`, p, objectives));
  const ref = lossOf(reference, objectives);
  return lossHypervolume(
    points.map((p) => lossOf(p, objectives)),
    ref,
  );
}

/** Each point's exclusive contribution: the hypervolume lost when it alone is removed. */
export function hypervolumeContributions(points: readonly (readonly number[])[], reference: readonly number[], objectives: readonly Objective[]): number[] {
  checkLength("hypervolumeContributions: the reference point", reference, objectives);
  const losses = points.map((p, i) => (checkLength(`hypervolumeContributions: point ${i}`, p, objectives), lossOf(p, objectives)));
  const ref = lossOf(reference, objectives);
  const total = lossHypervolume(losses, ref);
  return losses.map((_, i) => Math.max(0, total - lossHypervolume(losses.filter((__, j) => j !== i), ref)));
}

/** Hypervolume of loss vectors (minimization) against a reference point. */
export function lossHypervolume(losses: readonly (readonly number[])[], ref: readonly number[]): number {
  const inside = losses.filter((p) => p.every((v, i) => v < ref[i]!));
  return volume(inside, ref, ref.length);
}

function volume(points: readonly (readonly number[])[], ref: readonly number[], d: number): number {
  if (points.length === 0) return 0;
  if (d === 1) return ref[0]! - Math.min(...points.map((p) => p[0]!));
  if (d === 2) return area(points, ref);
  const k = d - 1;
  const sorted = [...points].sort((a, b) => a[k]! - b[k]!);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1]![k]! : ref[k]!;
    const depth = top - sorted[i]![k]!;
    if (depth > 0) total += depth * volume(sorted.slice(0, i + 1), ref, k);
  }
  return total;
}

function area(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let total = 0;
  let bestY = ref[1]!;
  for (let i = 0; i < sorted.length; i++) {
    const y = sorted[i]![1]!;
    if (y < bestY) bestY = y;
    const nextX = i + 1 < sorted.length ? sorted[i + 1]![0]! : ref[0]!;
    total += (nextX - sorted[i]![0]!) * (ref[1]! - bestY);
  }
  return total;
}
