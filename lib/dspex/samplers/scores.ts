import type { Objective, TrialRecord } from "./types";

/**
 * A complete trial with one finite value per objective, and the same values as losses (lower is
 * better: maximized objectives negated), which is how every sampler compares trials.
 */
export interface ScoredTrial {
  readonly trial: TrialRecord;
  readonly values: readonly number[];
  readonly loss: readonly number[];
}

/**
 * The trials a sampler can learn from: complete, with one finite value per objective. Failed and
 * pruned trials, and complete ones whose values are missing or not finite, are left out.
 */
export function scoredTrials(trials: readonly TrialRecord[], objectives: readonly Objective[]): ScoredTrial[] {
  const out: ScoredTrial[] = [];
  const m = objectives.length;
  const sign = objectives.map((o) => (o.direction === "maximize" ? -1 : 1));
  for (const trial of trials) {
    const values = trial.values;
    if (trial.state !== "complete" || !values || values.length !== m) continue;
    const loss = new Array<number>(m);
    let finite = true;
    for (let i = 0; i < m; i++) {
      const v = values[i]!;
      if (!(v - v === 0)) finite = false;
      loss[i] = sign[i]! * v;
    }
    if (finite) out.push({ trial, values, loss });
  }
  return out;
}

/** Single-objective order: lower loss first, then the older trial. */
export function byLoss(a: ScoredTrial, b: ScoredTrial): number {
  return a.loss[0]! - b.loss[0]! || a.trial.number - b.trial.number;
}
