import { jsonKey, type Config } from "../variables";
import type { TrialResult } from "./types";

/** One validation example's result for one configuration. */
export interface ExampleScore {
  readonly score: number;
  readonly feedback: string | null;
  /** The mean cost and latency per example of the trial that scored it. */
  readonly costUsd: number;
  readonly latencyMs: number;
  /** The trial that scored it. */
  readonly trial: number;
}

/**
 * Every validation score each configuration has earned, by example: what lets a later evaluation
 * of the same configuration skip examples already scored (partial evaluations are never thrown
 * away), and lets racing compare candidates with the baseline on the same examples.
 */
export class ScoreTable {
  private readonly table = new Map<string, Map<number, ExampleScore>>();

  /** Adds a trial's scored examples (the caller passes only unsampled validation trials). */
  add(trial: TrialResult): void {
    if (trial.set === "train" || !trial.scores || trial.scores.length === 0) return;
    const key = jsonKey(trial.config);
    let byExample = this.table.get(key);
    if (!byExample) this.table.set(key, (byExample = new Map()));
    const n = trial.examples.length;
    const reused = new Set(Array.isArray(trial.meta?.reusedExamples) ? (trial.meta.reusedExamples as number[]) : []);
    const ran = Math.max(1, n - reused.size);
    trial.examples.forEach((example, i) => {
      const score = trial.scores![i];
      if (score === undefined || byExample.has(example)) return;
      byExample.set(example, { score, feedback: trial.feedback?.[i] ?? null, costUsd: trial.costUsd / ran, latencyMs: trial.latencyMs, trial: trial.number });
    });
  }

  /** The scores a (complete) configuration has, by validation example. */
  of(config: Config): ReadonlyMap<number, ExampleScore> {
    return this.table.get(jsonKey(config)) ?? new Map();
  }

  /** Configurations with any score, with their scores. */
  entries(): Array<{ key: string; scores: ReadonlyMap<number, ExampleScore> }> {
    return [...this.table].map(([key, scores]) => ({ key, scores }));
  }
}
