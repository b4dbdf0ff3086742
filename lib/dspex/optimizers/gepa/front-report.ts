import { hypervolume, paretoFront } from "../../samplers";
import type { Objective } from "../../samplers/types";

export interface FrontPoint {
  /** The candidate (or trial) the point belongs to. */
  readonly id: number;
  readonly values: readonly number[];
}

/** The Pareto front of a set of candidates over the study's objectives, and the volume it dominates. */
export interface FrontReport {
  readonly front: readonly FrontPoint[];
  readonly hypervolume: number;
  readonly reference: readonly number[];
}

/**
 * A reference point just past the worst value seen on each objective (by a tenth of the range,
 * or of the value itself when every point has the same), so every point counts.
 */
export function defaultReference(points: readonly FrontPoint[], objectives: readonly Objective[]): number[] {
  return objectives.map((o, k) => {
    const xs = points.map((p) => p.values[k]!).filter(Number.isFinite);
    if (xs.length === 0) return 0;
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const pad = hi > lo ? (hi - lo) / 10 : Math.abs(hi) / 10 || 1;
    return o.direction === "maximize" ? lo - pad : hi + pad;
  });
}

/** The non-dominated points and their hypervolume against `reference` (default: defaultReference). */
export function frontReport(points: readonly FrontPoint[], objectives: readonly Objective[], reference?: readonly number[]): FrontReport {
  const usable = points.filter((p) => p.values.length === objectives.length && p.values.every(Number.isFinite));
  const ref = reference ? [...reference] : defaultReference(usable, objectives);
  const front = paretoFront(usable, objectives);
  return { front, hypervolume: hypervolume(front.map((p) => p.values), ref, objectives), reference: ref };
}
