// A minimal in-memory ask/evaluate loop for sampler tests and benchmarks: no program, no LM, just
// a sampler, a space and an objective function. `batch` asks that many configurations before
// scoring them, the earlier ones showing as running trials (as in a parallel study).
import { createRng } from "../random";
import { QUALITY, type Objective, type Sampler, type TrialRecord } from "../samplers";
import type { Config, VariableSpace } from "../variables";

/** Objective values of a configuration (one number for one objective), or null when the trial failed. */
export type StudyObjective = (config: Config, trialNumber: number) => number | readonly number[] | null;

export interface SamplerStudyOptions {
  readonly sampler: Sampler;
  readonly space: VariableSpace;
  readonly evaluate: StudyObjective;
  readonly trials: number;
  readonly seed: number;
  /** Default: one objective, quality (maximized). */
  readonly objectives?: readonly Objective[];
  /** Configurations asked before any is scored (default 1). */
  readonly batch?: number;
  /** Trials to start from (numbered 0..n-1); new trials are numbered after them. */
  readonly history?: readonly TrialRecord[];
}

/**
 * The stream a study gives trial `n`, as the optimizers' Study does: `createRng(seed).fork("ask-n")`.
 * (A label starting with a constant keeps streams of different seeds apart: `fork(n)` alone gives
 * seed 0 / trial 1 the same stream as seed 1 / trial 0.)
 */
export function trialRng(seed: number, trialNumber: number) {
  return createRng(seed).fork(`ask-${trialNumber}`);
}

/** Runs the loop and returns every trial, in number order. */
export async function runSamplerStudy(options: SamplerStudyOptions): Promise<TrialRecord[]> {
  const { sampler, space, evaluate, seed } = options;
  const objectives = options.objectives ?? [QUALITY];
  const batch = Math.max(1, options.batch ?? 1);
  const trials: TrialRecord[] = [...(options.history ?? [])];
  const end = trials.length + options.trials;
  while (trials.length < end) {
    const start = trials.length;
    const count = Math.min(batch, end - start);
    for (let i = 0; i < count; i++) {
      const trialNumber = start + i;
      const config = await sampler.ask({ space, trials: [...trials], objectives, rng: trialRng(seed, trialNumber), trialNumber });
      trials.push({ number: trialNumber, config, state: "running" });
    }
    for (let i = start; i < start + count; i++) {
      const t = trials[i]!;
      const result = evaluate(t.config, t.number);
      trials[i] =
        result === null
          ? { number: t.number, config: t.config, state: "failed" }
          : { number: t.number, config: t.config, state: "complete", values: typeof result === "number" ? [result] : [...result] };
    }
  }
  return trials;
}
