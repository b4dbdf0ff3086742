import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { Example, Metric } from "../evaluate/types";
import { createPriceTable, type PriceTable } from "../lm";
import { isDemoLM, type LM } from "../lm/types";
import type { Module } from "../modules/module";
import type { Objective } from "../samplers/types";
import { discoverSpace, programSteps, type Config, type VariableSpace } from "../variables";
import { BudgetExceededError, validateBudget } from "./budget";
import { budgetUseOf, describeBudgetUse } from "./budget-use";
import { costAware } from "./cost-front";
import type { CheckpointStore } from "./checkpoint";
import { estimateCost } from "./estimate";
import { Study } from "./study";
import { modelsOfRun, refuseUnpricedModels } from "./price-check";
import type { Budget, CostEstimate, OptimizationEvent, OptimizationReport, Optimizer, StopReason, TrialResult } from "./types";

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
  /** Shown in the start event (e.g. optimize()'s plan); default: the optimizer's estimate. */
  readonly estimate?: CostEstimate;
}

/** Refuses, before any call, a budget that cannot even score the baseline. */
function checkBaselineFits(budget: Budget | undefined, valSize: number, callsPerRun: number, estimate: CostEstimate): void {
  if (!budget) return;
  const calls = valSize * callsPerRun;
  if (budget.lmCalls !== undefined && budget.lmCalls < calls) {
    throw new DspexError("OPTION_INVALID", `runOptimization: a budget of ${budget.lmCalls} LM calls cannot score the baseline on the ${valSize} validation examples (about ${calls} calls); give a larger budget or fewer validation examples`);
  }
  const perCall = estimate.lmCalls > 0 && estimate.usd !== null ? estimate.usd / estimate.lmCalls : 0;
  if (budget.usd !== undefined && perCall > 0 && budget.usd < perCall * calls) {
    throw new DspexError("OPTION_INVALID", `runOptimization: a budget of $${budget.usd} cannot score the baseline on the ${valSize} validation examples (about $${(perCall * calls).toFixed(4)}); give a larger budget or fewer validation examples`);
  }
}

/** The winner: the best complete full evaluation, the earliest on ties (so the baseline wins a tie). */
function winnerOf(trials: readonly TrialResult[], baseline: TrialResult): TrialResult {
  let best = baseline.state === "complete" && baseline.evaluation === "full" ? baseline : undefined;
  for (const t of trials) {
    if (t.state !== "complete" || t.evaluation !== "full" || t.score === undefined) continue;
    if (!best || t.score > best.score!) best = t;
  }
  return best ?? baseline;
}

/**
 * Runs one optimizer over the shared trial protocol: estimate, baseline (trial 0, the program as
 * it is, on the full validation set), then the optimizer's search with the calls to validate one
 * final candidate set aside, then that validation (only the examples not yet scored), and the
 * winner chosen by full validation scores only, the baseline included: the program returned is
 * never worse than the baseline on the validation set. Resumes from the checkpoint when one is
 * given and holds a run.
 */
export async function runOptimization<M extends Module>(options: RunOptimizationOptions<M>): Promise<OptimizationReport<M>> {
  if (options.valset.length === 0) throw new DspexError("OPTION_INVALID", "runOptimization: the validation set is empty; give valset examples to score configurations on");
  if (options.budget) validateBudget(options.budget);
  const space = options.space ?? discoverSpace(options.program);
  const seed = options.seed ?? 0;
  const prices = options.prices ?? createPriceTable();
  await refuseUnpricedModels({ caller: "runOptimization", usd: options.budget?.usd, models: modelsOfRun(options.program, space, options.lm, options.promptLM), lm: options.lm, prices });
  const estimate =
    options.estimate ?? (await estimateCost({ optimizer: options.optimizer, program: options.program, space, trainset: options.trainset, valset: options.valset, lm: options.lm, prices }));
  checkBaselineFits(options.budget, options.valset.length, Math.max(1, programSteps(options.program).length), estimate);
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
  study.guessUsdPerCall(estimate.lmCalls > 0 && estimate.usd !== null && estimate.usd > 0 ? estimate.usd / estimate.lmCalls : undefined);
  const demo = isDemoLM(options.lm) ? ({ demo: true } as const) : {};
  study.emit({ type: "start", optimizer: options.optimizer.name, estimate, resumedTrials: study.resumedTrials, ...demo });
  if (options.budget?.usd !== undefined && estimate.usd !== null && estimate.usd > options.budget.usd) {
    study.log(`the estimate ($${estimate.usd.toFixed(4)}) is above the budget ($${options.budget.usd}); the run stops when the budget is spent`);
  }

  // The program exactly as given: settings it leaves unset stay unset.
  const baseline = (await study.evaluate(space.defaults(), { meta: { role: "baseline" } })).result;
  study.setFinalReserve(options.valset.length);
  let recommended: Config = baseline.config;
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

  // Only a full validation score can win: validate the recommendation on what it lacks, from the reserve.
  if (study.fullScore(recommended) === undefined && !options.signal?.aborted) {
    const final = await study.evaluate(recommended, { finalist: true, meta: { role: "final" } });
    if (final.refused) study.log(`the recommended configuration was not validated: ${final.refused}`);
  }
  const winner = winnerOf(study.trials, baseline);
  const reason: StopReason = options.signal?.aborted ? "aborted" : study.shouldStop() || study.refusals > 0 ? "budget" : "completed";
  const budgetUse = budgetUseOf(study.trials, study.promptSpend);
  study.log(`spend: ${describeBudgetUse(budgetUse)}`);
  const costs = costAware(study.trials, (t) => study.costPerExample(t.config));
  if (costs) {
    const c = costs.cheapestWithin1SE;
    study.log(`cost: the cheapest configuration within one standard error of the best (${costs.best.score.toFixed(3)} ± ${costs.best.standardError.toFixed(3)}) is trial ${c.trial}: ${c.score.toFixed(3)} at $${c.costPerExample.toFixed(6)} per prediction`);
  }
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
    budgetUse,
    ...(costs ? { costAware: costs } : {}),
    estimate,
    stopReason: reason,
    seed,
    notes,
    ...demo,
  };
}
