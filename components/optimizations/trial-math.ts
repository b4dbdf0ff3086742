// Pure functions over an optimization's trials for its charts: best-so-far, the cost-vs-quality
// Pareto front, axes of the parallel-coordinates plot and parameter importance. Client-side, so
// every chart updates from the trials the page already holds (live events append to them).

/** What the charts need of one trial (from the trials API or a trial:finished event). */
export interface TrialPoint {
  readonly number: number;
  readonly status: "running" | "complete" | "pruned" | "failed";
  readonly evaluation: "minibatch" | "full";
  readonly score: number | null;
  readonly costUsd: number;
  readonly lmCalls: number;
  readonly latencyMs: number | null;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface ScorePoint {
  readonly number: number;
  readonly score: number;
  readonly evaluation: "minibatch" | "full";
  /** The best full-evaluation score up to this trial (minibatch scores are too noisy to count), null before the first. */
  readonly best: number | null;
}

/** Adds or replaces trials by number, keeping number order (a resumed run replays finished trials). */
export function mergeTrials(current: readonly TrialPoint[], incoming: readonly TrialPoint[]): TrialPoint[] {
  const byNumber = new Map(current.map((t) => [t.number, t]));
  for (const t of incoming) byNumber.set(t.number, t);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/**
 * Scored trials in order with the best-so-far line. Only full evaluations move the line when the
 * run has any (the optimizer picks its winner by them); a run of minibatches only uses them all.
 */
export function scoreSeries(trials: readonly TrialPoint[]): ScorePoint[] {
  const scored = trials.filter((t): t is TrialPoint & { score: number } => t.score !== null && t.status === "complete");
  const anyFull = scored.some((t) => t.evaluation === "full");
  let best: number | null = null;
  return scored.map((t) => {
    if (!anyFull || t.evaluation === "full") best = best === null ? t.score : Math.max(best, t.score);
    return { number: t.number, score: t.score, evaluation: t.evaluation, best };
  });
}

/**
 * The scored trials to analyse: the full evaluations when there are at least three (minibatch
 * scores on a handful of examples are too noisy to rank), else every scored trial.
 */
export function analysedTrials<T extends TrialPoint>(trials: readonly T[]): T[] {
  const scored = trials.filter((t) => t.score !== null && t.status === "complete");
  const full = scored.filter((t) => t.evaluation === "full");
  return full.length >= 3 ? full : scored;
}

/** Trials no other trial beats on both quality (higher score) and cost (lower), cheapest first. */
export function paretoFront<T extends { readonly score: number; readonly costUsd: number }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.costUsd - b.costUsd || b.score - a.score);
  const front: T[] = [];
  let bestScore = -Infinity;
  for (const p of sorted) {
    if (p.score > bestScore) {
      front.push(p);
      bestScore = p.score;
    }
  }
  return front;
}

/** A short, stable label of a variable's value (long texts and demo sets become numbered choices). */
export function valueLabel(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === "string") return value.length <= 18 ? value : `${value.slice(0, 15)}…`;
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  return JSON.stringify(value).slice(0, 18);
}

export type Axis =
  | { readonly kind: "numeric"; readonly name: string; readonly min: number; readonly max: number }
  /** Categorical values each get their own position, in order of first appearance. */
  | { readonly kind: "categorical"; readonly name: string; readonly keys: readonly string[]; readonly labels: readonly string[] };

const keyOf = (v: unknown) => JSON.stringify(v ?? null);

/** One axis per variable that differs between trials: numeric when every value is a number. */
export function parallelAxes(trials: readonly TrialPoint[]): Axis[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.config)))].sort();
  const axes: Axis[] = [];
  for (const name of names) {
    const values = trials.map((t) => t.config[name]);
    const keys = [...new Set(values.map(keyOf))];
    if (keys.length < 2) continue;
    if (values.every((v) => typeof v === "number")) {
      const nums = values as number[];
      axes.push({ kind: "numeric", name, min: Math.min(...nums), max: Math.max(...nums) });
    } else {
      const first = new Map<string, unknown>();
      for (const v of values) if (!first.has(keyOf(v))) first.set(keyOf(v), v);
      const labels = keys.map((k, i) => {
        const label = valueLabel(first.get(k));
        return typeof first.get(k) === "string" && (first.get(k) as string).length > 18 ? `#${i + 1} ${label}` : label;
      });
      axes.push({ kind: "categorical", name, keys, labels });
    }
  }
  return axes;
}

/** Where a value sits on its axis, 0 (bottom) to 1 (top). */
export function axisPosition(axis: Axis, value: unknown): number {
  if (axis.kind === "numeric") return axis.max === axis.min ? 0.5 : ((value as number) - axis.min) / (axis.max - axis.min);
  const i = axis.keys.indexOf(keyOf(value));
  return axis.keys.length === 1 ? 0.5 : Math.max(0, i) / (axis.keys.length - 1);
}

export interface Importance {
  readonly name: string;
  /** Share of the score's variance explained by the variable, 0..1. */
  readonly importance: number;
}

const NUMERIC_BINS = 4;

/**
 * Parameter importance as the correlation ratio (eta squared): the share of the variance of the
 * score explained by grouping the scored trials by the variable's value (numbers in equal-count
 * bins of four). A one-variable-at-a-time estimate: it ignores interactions, and with few trials
 * it overstates (each group then holds one or two trials). Sorted, most important first.
 */
export function parameterImportance(trials: readonly TrialPoint[]): Importance[] {
  const scored = analysedTrials(trials) as (TrialPoint & { score: number })[];
  if (scored.length < 3) return [];
  const mean = scored.reduce((s, t) => s + t.score, 0) / scored.length;
  const total = scored.reduce((s, t) => s + (t.score - mean) ** 2, 0);
  return parallelAxes(scored)
    .map((axis) => {
      const groupOf = groupingFor(axis, scored);
      const groups = new Map<string, number[]>();
      for (const t of scored) {
        const g = groupOf(t.config[axis.name]);
        groups.set(g, [...(groups.get(g) ?? []), t.score]);
      }
      let between = 0;
      for (const scores of groups.values()) {
        const m = scores.reduce((s, x) => s + x, 0) / scores.length;
        between += scores.length * (m - mean) ** 2;
      }
      return { name: axis.name, importance: total === 0 ? 0 : between / total };
    })
    .sort((a, b) => b.importance - a.importance);
}

function groupingFor(axis: Axis, trials: readonly TrialPoint[]): (value: unknown) => string {
  if (axis.kind === "categorical") return keyOf;
  const sorted = trials.map((t) => t.config[axis.name] as number).sort((a, b) => a - b);
  const cuts = Array.from({ length: NUMERIC_BINS - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / NUMERIC_BINS)]!);
  return (value) => String(cuts.filter((c) => (value as number) >= c).length);
}
