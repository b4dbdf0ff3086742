// The empirical distribution of trial scores and the contour of the score over two variables, as
// pure functions of the trials (Optuna Dashboard's EDF and contour plots).
import { analysedTrials, axisPosition, type Axis, type TrialPoint } from "./trial-math";

export interface EdfPoint {
  readonly score: number;
  /** Share of the trials scoring at most `score`, 0..1. */
  readonly share: number;
}

/** The empirical distribution function of the scores: one step per distinct score, ascending. */
export function empiricalDistribution(scores: readonly number[]): EdfPoint[] {
  const sorted = [...scores].sort((a, b) => a - b);
  const points: EdfPoint[] = [];
  sorted.forEach((score, i) => {
    const share = (i + 1) / sorted.length;
    if (points.length && points[points.length - 1]!.score === score) points[points.length - 1] = { score, share };
    else points.push({ score, share });
  });
  return points;
}

/** The EDF of full evaluations and of minibatches apart (their scores are not on the same footing). */
export function trialDistributions(trials: readonly TrialPoint[]): { readonly full: EdfPoint[]; readonly minibatch: EdfPoint[] } {
  const scored = trials.filter((t): t is TrialPoint & { score: number } => t.score !== null && t.status === "complete");
  return { full: empiricalDistribution(scored.filter((t) => t.evaluation === "full").map((t) => t.score)), minibatch: empiricalDistribution(scored.filter((t) => t.evaluation === "minibatch").map((t) => t.score)) };
}

export interface ContourCell {
  /** The cell's centre, 0..1 on each axis. */
  readonly x: number;
  readonly y: number;
  /** The score interpolated there (inverse-distance weighted over the trials). */
  readonly score: number;
}

export interface ContourPoint {
  readonly number: number;
  readonly x: number;
  readonly y: number;
  readonly score: number;
}

/**
 * The analysed trials placed on two axes (0..1 each) and a size x size grid of the score between
 * them, interpolated by inverse distance squared (a trial's own cell takes its score).
 */
export function contourGrid(trials: readonly TrialPoint[], xAxis: Axis, yAxis: Axis, size = 12): { readonly points: ContourPoint[]; readonly cells: ContourCell[] } {
  const scored = analysedTrials(trials).filter((t): t is TrialPoint & { score: number } => t.score !== null && xAxis.name in t.config && yAxis.name in t.config);
  const points = scored.map((t) => ({ number: t.number, x: axisPosition(xAxis, t.config[xAxis.name]), y: axisPosition(yAxis, t.config[yAxis.name]), score: t.score }));
  if (points.length === 0) return { points, cells: [] };
  const cells: ContourCell[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      let weight = 0;
      let sum = 0;
      let exact: number | undefined;
      for (const p of points) {
        const d2 = (p.x - x) ** 2 + (p.y - y) ** 2;
        if (d2 < 1e-12) {
          exact = p.score;
          break;
        }
        weight += 1 / d2;
        sum += p.score / d2;
      }
      cells.push({ x, y, score: exact ?? sum / weight });
    }
  }
  return { points, cells };
}
