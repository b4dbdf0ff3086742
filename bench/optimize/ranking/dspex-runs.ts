// DSPEx's optimizers in the ranking, each through optimize() with the budget (so every one gets
// its parameters planned from the budget), the teacher, the demo cap and the temperature Ax gets.
import { createOpenAILM } from "../../../lib/dspex/lm";
import type { Module } from "../../../lib/dspex/modules";
import { optimize, type OptimizeResult, type OptimizerName } from "../../../lib/dspex/optimizers";
import { DEMO_CAP, STUDENT, TEACHER, TEMPERATURE, type RankingTask, type Splits } from "./tasks";

export const DSPEX_OPTIMIZERS = ["labeled-few-shot", "bootstrap-few-shot", "bootstrap-random-search", "mipro-v2", "simba", "gepa", "reflect-race", "auto"] as const satisfies readonly OptimizerName[];
export type DspexOptimizerName = (typeof DSPEX_OPTIMIZERS)[number];

export function studentLM(baseURL: string) {
  return createOpenAILM({ provider: "custom", baseURL, apiKey: "local", model: STUDENT, maxRetries: 0 });
}

/** The task's program as DSPEx runs it: the student model at the shared temperature. */
export function dspexProgram(task: RankingTask): Module {
  return task.task.makeProgram({ module: task.module, settings: { model: STUDENT, temperature: TEMPERATURE } });
}

/** optimize() with one optimizer (or "auto") under a budget of `calls` LM calls. */
export function runDspexOptimizer(name: DspexOptimizerName, args: { task: RankingTask; splits: Splits; baseURL: string; calls: number; seed: number }): Promise<OptimizeResult<Module>> {
  return optimize(dspexProgram(args.task), args.splits.train, {
    valset: args.splits.val,
    metric: args.task.task.metric,
    lm: studentLM(args.baseURL),
    optimizer: name,
    teacher: TEACHER,
    variables: { maxDemos: DEMO_CAP, temperature: false },
    budget: { lmCalls: args.calls },
    seed: args.seed,
  });
}
