import { jsonKey, type Config, type JsonValue } from "../variables";
import type { Study } from "./study";
import type { TrialResult } from "./types";

export interface RaceOptions {
  /** Candidates, the most promising first: when the budget is short the last ones are left out. */
  readonly candidates: readonly Config[];
  /** The configuration every candidate is compared with on the same examples (default: the baseline, the space's defaults). */
  readonly reference?: Config;
  /** Survivors per rung: the top 1/eta go on (default 3). */
  readonly eta?: number;
  /** Examples in the first rung at least (default 5, or the whole set when smaller). */
  readonly minExamples?: number;
  /** Validate the finalist on the whole set from the calls set aside for the final candidate (default true). */
  readonly finalist?: boolean;
  /** Calls the race may use at most (default: all the budget grants it). */
  readonly calls?: number;
  readonly meta?: Readonly<Record<string, JsonValue>>;
}

export interface RaceOutcome {
  /** The candidate scored on the whole validation set, if the race got that far. */
  readonly winner?: Config;
  /** Its mean over the whole validation set. */
  readonly score?: number;
  /** The reference's mean over the whole validation set. */
  readonly referenceScore?: number;
  /** Candidates that ran, and the examples each was scored on in the end. */
  readonly scored: ReadonlyArray<{ readonly config: Config; readonly examples: number }>;
  /** Why the race stopped before validating a finalist, when it did. */
  readonly stopped?: string;
}

/** Rung sizes from `first` to `total` in `rungs` geometric steps (`rungs` = 0: the whole set at once). */
export function rungSizes(first: number, total: number, rungs: number): number[] {
  if (rungs <= 0 || first >= total) return [total];
  const sizes: number[] = [];
  for (let k = 0; k <= rungs; k++) sizes.push(Math.min(total, Math.max(1, Math.round(first * (total / first) ** (k / rungs)))));
  return [...new Set(sizes)];
}

/** Candidates scored at each rung when `n` start: the top 1/eta go on each time, one reaches the last rung. */
export function survivors(n: number, rungs: number): (eta: number) => number[] {
  return (eta) => Array.from({ length: rungs + 1 }, (_, k) => (k === rungs ? 1 : Math.max(1, Math.ceil(n / eta ** k))));
}

/** Calls a race would make: each rung scores its candidates on the examples the rung adds. */
export function raceCalls(n: number, sizes: readonly number[], eta: number, callsPerExample: number): number {
  const keep = survivors(n, sizes.length - 1)(eta);
  let examples = 0;
  sizes.forEach((size, k) => {
    examples += keep[k]! * (size - (k > 0 ? sizes[k - 1]! : 0));
  });
  return Math.ceil(examples * callsPerExample);
}

/** Calls of every rung but the last (the last may draw on the final reserve). */
function earlyCalls(n: number, sizes: readonly number[], eta: number, callsPerExample: number): number {
  const keep = survivors(n, sizes.length - 1)(eta);
  let examples = 0;
  for (let k = 0; k < sizes.length - 1; k++) examples += keep[k]! * (sizes[k]! - (k > 0 ? sizes[k - 1]! : 0));
  return Math.ceil(examples * callsPerExample);
}

/**
 * The race that fits a budget of `calls`: as many of the `n` candidates as it can pay for, then
 * the largest first rung (at least `minExamples`) with them, growing geometrically to the whole
 * set where one finalist is scored. Undefined when not even one candidate fits on the whole set.
 */
export function planRace(
  n: number,
  total: number,
  budget: { readonly calls: number; readonly beforeLastRung: number },
  callsPerExample: number,
  eta: number,
  minExamples: number,
): { candidates: number; sizes: number[] } | undefined {
  const { calls } = budget;
  const low = Math.min(total - 1, Math.max(1, minExamples));
  for (let m = n; m >= 2; m--) {
    const rungs = Math.max(1, Math.ceil(Math.log(m) / Math.log(eta) - 1e-9));
    for (let first = total - 1; first >= low; first--) {
      const sizes = rungSizes(first, total, rungs);
      if (sizes.length < 2) continue;
      if (raceCalls(m, sizes, eta, callsPerExample) <= calls && earlyCalls(m, sizes, eta, callsPerExample) <= budget.beforeLastRung) return { candidates: m, sizes };
    }
  }
  return Math.ceil(total * callsPerExample) <= calls && n >= 1 ? { candidates: 1, sizes: [total] } : undefined;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** A fixed order of the validation set that every race of a study walks (so rungs share examples). */
export function validationOrder(study: Study): number[] {
  return study.rng.fork("race-order").shuffle(study.valset.map((_, i) => i));
}

/**
 * Successive halving on growing validation prefixes: every candidate is scored on the first
 * rung's examples; the top 1/eta by mean go on to a larger prefix, and so on until one finalist
 * is scored on the whole set (scores already earned are reused, so no example is paid twice).
 * Candidates are compared on the same examples as the reference, whose full scores the study
 * has (the baseline); the finalist is validated only while it is not behind the reference.
 */
export async function race(study: Study, options: RaceOptions): Promise<RaceOutcome> {
  const eta = options.eta ?? 3;
  const total = study.valset.length;
  const reference = study.space.complete(options.reference ?? study.space.defaults());
  const referenceScores = study.scoresOf(reference);
  const seen = new Set<string>([jsonKey(reference)]);
  const pool: Config[] = [];
  for (const c of options.candidates) {
    const full = study.space.complete(c);
    if (seen.has(jsonKey(full))) continue;
    seen.add(jsonKey(full));
    pool.push(full);
  }
  if (pool.length === 0) return { scored: [], stopped: "no candidate differs from the reference" };
  const finalist = options.finalist ?? true;
  const cap = options.calls ?? Number.POSITIVE_INFINITY;
  const budget = { calls: Math.min(cap, study.headroom({ finalist })), beforeLastRung: Math.min(cap, study.headroom()) };
  const plan = planRace(pool.length, total, budget, study.callsPerExample(), eta, options.minExamples ?? 5);
  if (!plan) return { scored: [], stopped: `the budget (${Math.floor(budget.calls)} calls) cannot score a candidate on the ${total} validation examples` };
  const order = validationOrder(study);
  let alive = pool.slice(0, plan.candidates);
  const reached = new Map<string, number>();
  const keep = survivors(alive.length, plan.sizes.length - 1)(eta);
  for (const [k, size] of plan.sizes.entries()) {
    const examples = order.slice(0, size).sort((a, b) => a - b);
    const last = size >= total;
    if (last) {
      const leader = alive[0]!;
      const prefix = order.slice(0, plan.sizes[k - 1] ?? 0);
      if (prefix.length > 0 && meanOn(study, leader, prefix) < meanOn(study, reference, prefix, referenceScores)) {
        return { scored: scoredList(reached, pool), stopped: `the finalist is behind the reference on ${prefix.length} examples; not validated` };
      }
    }
    const results: TrialResult[] = [];
    for (const config of alive) {
      const { result, refused } = await study.evaluate(config, { examples, finalist: finalist && last, meta: { ...(options.meta ?? {}), role: last ? "race-final" : "race", rung: k } });
      if (refused) return { scored: scoredList(reached, pool), stopped: refused };
      results.push(result);
      reached.set(jsonKey(config), result.examples.length);
      if (result.state !== "complete") return { scored: scoredList(reached, pool), stopped: result.error ?? "an evaluation did not finish" };
    }
    if (last) {
      const winner = alive[0]!;
      return { winner, score: study.fullScore(winner), referenceScore: study.fullScore(reference), scored: scoredList(reached, pool) };
    }
    alive = alive
      .map((config, i) => ({ config, score: results[i]!.score ?? 0, i }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, keep[k + 1] ?? 1)
      .map((e) => e.config);
  }
  return { scored: scoredList(reached, pool), stopped: "no rung reached the whole set" };
}

function meanOn(study: Study, config: Config, examples: readonly number[], known = study.scoresOf(config)): number {
  return mean(examples.map((e) => known.get(e)?.score ?? 0));
}

function scoredList(reached: ReadonlyMap<string, number>, pool: readonly Config[]) {
  return pool.filter((c) => reached.has(jsonKey(c))).map((config) => ({ config, examples: reached.get(jsonKey(config))! }));
}
