import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { Example, Metric } from "../evaluate/types";
import { createPriceTable, type PriceTable } from "../lm";
import type { LM } from "../lm/types";
import type { Module } from "../modules/module";
import type { Objective } from "../samplers/types";
import { discoverSpace, jsonKey, type VariableSpace } from "../variables";
import { BudgetExceededError, validateBudget } from "./budget";
import type { CheckpointStore } from "./checkpoint";
import { estimateCost } from "./estimate";
import { Study } from "./study";
import type { Budget, OptimizationEvent, OptimizationReport, Optimizer, StopReason, TrialResult } from "./types";

export interface RunOptimizationOptions<M extends Module> {
  readonly optimizer: Optimizer;
  readonly program: M;
  /** Default: every variable discovered in the program. */
  readonly space?: VariableSpace;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  readonly metric: Metric;
  readonly lm: LM;
  readonly promptLM?: LM;
  readonly context?: Omit<RunContext, "lm" | "tracer" | "signal" | "paths" | "parentSpanId">;
  readonly objectives?: readonly Objective[];
  readonly seed?: number;
  readonly budget?: Budget;
  readonly concurrency?: number;
  readonly checkpoint?: CheckpointStore;
  readonly onEvent?: (event: OptimizationEvent) => void;
  readonly signal?: AbortSignal;
  readonly prices?: PriceTable;
}

/**
 * Runs one optimizer over the shared trial protocol: estimate, baseline (trial 0, the program as
 * it is, on the full validation set), the optimizer's own search, then the winner chosen by full
 * validation scores only. Resumes from the checkpoint when one is given and holds a run.
 */
export async function runOptimization<M extends Module>(options: RunOptimizationOptions<M>): Promise<OptimizationReport<M>> {
  if (options.valset.length === 0) throw new DspexError("OPTION_INVALID", "runOptimization: the validation set is empty; give valset examples to score configurations on");
  if (options.budget) validateBudget(options.budget);
  const space = options.space ?? discoverSpace(options.program);
  const seed = options.seed ?? 0;
  const prices = options.prices ?? createPriceTable();
  const estimate = await estimateCost({ optimizer: options.optimizer, program: options.program, space, trainset: options.trainset, valset: options.valset, lm: options.lm, prices });
  const study = await Study.open({
    optimizer: options.optimizer.name,
    program: options.program,
    space,
    trainset: options.trainset,
    valset: options.valset,
    metric: options.metric,
    lm: options.lm,
    promptLM: options.promptLM,
    context: options.context,
    objectives: options.objectives,
    seed,
    budget: options.budget,
    concurrency: options.concurrency,
    checkpoint: options.checkpoint,
    onEvent: options.onEvent,
    signal: options.signal,
    prices,
  });
  study.emit({ type: "start", optimizer: options.optimizer.name, estimate, resumedTrials: study.resumedTrials });
  if (options.budget?.usd !== undefined && estimate.usd > options.budget.usd) {
    study.log(`the estimate ($${estimate.usd.toFixed(4)}) is above the budget ($${options.budget.usd}); the run stops when the budget is spent`);
  }

  const baseline = (await study.evaluate(space.defaults(), { meta: { role: "baseline" } })).result;
  let reason: StopReason = "completed";
  let recommended = baseline.config;
  let notes: readonly string[] = [];
  try {
    const outcome = await options.optimizer.run({
      study,
      program: options.program,
      space,
      trainset: options.trainset,
      valset: options.valset,
      metric: options.metric,
      rng: study.rng.fork(`optimizer-${options.optimizer.name}`),
      promptLM: study.promptLM,
      log: (message) => study.log(message),
    });
    recommended = space.complete(outcome.best);
    notes = outcome.notes ?? [];
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) {
      study.emit({ type: "stop", reason: "error", detail: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }
  if (study.shouldStop()) reason = study.stopReason ?? "budget";

  // Only a full validation score can win; score the recommendation if the optimizer did not.
  const fullyScored = (config: typeof recommended) =>
    study.trials.some((t) => t.state === "complete" && t.evaluation === "full" && jsonKey(t.config) === jsonKey(config));
  if (!fullyScored(recommended) && !study.shouldStop()) await study.evaluate(recommended, { meta: { role: "final" } });
  const winner: TrialResult = study.best("full") ?? baseline;
  study.emit({ type: "stop", reason });
  await study.save();
  return {
    optimizer: options.optimizer.name,
    program: space.apply(options.program, winner.config),
    config: winner.config,
    bestScore: winner.score ?? 0,
    baselineScore: baseline.score ?? 0,
    trials: study.trials,
    paretoFront: study.paretoFront(),
    spend: study.spend,
    estimate,
    stopReason: reason,
    seed,
    notes,
  };
}
