import type { RunContext } from "../context";
import { evaluate } from "../evaluate/evaluate";
import type { Example, Metric } from "../evaluate/types";
import { addUsage, EMPTY_USAGE, type LM, type LMSettings, type Usage } from "../lm/types";
import type { Module } from "../modules/module";
import type { RunTrace } from "../trace";
import { BUDGET_REFUSED } from "./budget";
import type { TrialDetails } from "./types";

/** What running a program over some examples gave, per example in the order asked. */
export interface ExamplesRun {
  /** Examples that ran to the end (their LM calls were all allowed). */
  readonly finished: readonly boolean[];
  readonly scores: readonly number[];
  readonly feedback: readonly (string | null)[];
  readonly usage: Usage;
  readonly latencyMs: number;
  readonly details?: TrialDetails;
}

export interface RunExamplesArgs {
  readonly program: Module;
  readonly examples: readonly Example[];
  readonly metric: Metric;
  readonly context: RunContext;
  readonly concurrency: number;
  readonly keepDetails: boolean;
}

/** An example cut short because the budget refused one of its LM calls. */
function cutByBudget(trace: RunTrace | undefined, error: string | undefined): boolean {
  if (error?.includes(BUDGET_REFUSED)) return true;
  return trace?.lmCalls.some((c) => c.error?.includes(BUDGET_REFUSED)) ?? false;
}

/** Runs a program over examples with the metric; examples the budget cut short are marked unfinished. */
export async function runExamples(args: RunExamplesArgs): Promise<ExamplesRun> {
  const report = await evaluate(args.program, args.examples, args.metric, args.context, { concurrency: args.concurrency, keepTraces: true, onError: "score-zero" });
  const at = new Map(report.results.map((r) => [r.index, r]));
  let usage = EMPTY_USAGE;
  for (const r of report.results) usage = addUsage(usage, r.usage);
  const each = args.examples.map((_, i) => at.get(i));
  return {
    finished: each.map((r) => r !== undefined && !cutByBudget(r.trace, r.error)),
    scores: each.map((r) => r?.score ?? 0),
    feedback: each.map((r) => r?.feedback ?? r?.error ?? null),
    usage,
    latencyMs: report.latencyMs.mean,
    details: args.keepDetails ? { outputs: each.map((r) => r?.outputs), traces: each.map((r) => r?.trace) } : undefined,
  };
}

/** The run context of one evaluation: the study's context with the trial's LM, rollout and forced settings. */
export function trialContext(base: RunContext, lm: LM, options: { rolloutId?: string; overrideSettings?: LMSettings }): RunContext {
  return {
    ...base,
    lm,
    ...(options.rolloutId !== undefined ? { rolloutId: options.rolloutId } : {}),
    ...(options.overrideSettings ? { overrideSettings: options.overrideSettings } : {}),
  };
}
