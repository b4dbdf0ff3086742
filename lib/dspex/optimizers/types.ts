import type { Example, Metric } from "../evaluate/types";
import type { LM, Usage } from "../lm/types";
import type { Module } from "../modules/module";
import type { Rng } from "../random";
import type { Objective, TrialState } from "../samplers/types";
import type { RunTrace } from "../trace";
import type { Config, JsonValue, VariableSpace } from "../variables";
import type { CostAwareResult } from "./cost-front";
import type { OptimizePlan } from "./planning/plan-optimize";
import type { Study } from "./study";

/** Limits for one optimization: it stops cleanly at the first one reached. */
export interface Budget {
  readonly lmCalls?: number;
  readonly usd?: number;
  readonly seconds?: number;
}

export interface Spend {
  readonly lmCalls: number;
  readonly usd: number;
  readonly seconds: number;
}

export type EvaluationKind = "minibatch" | "full";

/** One evaluated configuration. */
export interface TrialResult {
  readonly number: number;
  readonly config: Config;
  readonly state: TrialState;
  readonly evaluation: EvaluationKind;
  /** The set the examples come from (validation unless said otherwise). */
  readonly set?: "val" | "train";
  /** Indices (into the evaluation set) of the examples scored. */
  readonly examples: readonly number[];
  /** Mean score over the examples (complete trials). */
  readonly score?: number;
  /** One value per objective (quality, and cost / latency when asked). */
  readonly values?: readonly number[];
  /** Per-example scores, in the order of `examples`. */
  readonly scores?: readonly number[];
  /** Per-example metric feedback, when the metric gives any. */
  readonly feedback?: readonly (string | null)[];
  readonly costUsd: number;
  readonly lmCalls: number;
  readonly usage: Usage;
  /** Mean latency per example, ms. */
  readonly latencyMs: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly error?: string;
  /** What the optimizer wants to remember about this trial (parents, step number, ...). */
  readonly meta?: Readonly<Record<string, JsonValue>>;
}

/** Per-example details of a trial that are not kept in checkpoints (traces are large). */
export interface TrialDetails {
  readonly outputs: readonly (Readonly<Record<string, unknown>> | undefined)[];
  readonly traces: readonly (RunTrace | undefined)[];
}

export type StopReason = "completed" | "budget" | "aborted" | "error";

export type OptimizationEvent =
  /** `demo`: the run is on the offline demo model (a simulator), so its scores and costs are simulated. */
  | { readonly type: "start"; readonly optimizer: string; readonly estimate: CostEstimate; readonly resumedTrials: number; readonly demo?: true }
  | { readonly type: "trial:start"; readonly trial: number; readonly config: Config; readonly evaluation: EvaluationKind; readonly examples: number }
  | { readonly type: "trial:complete"; readonly trial: TrialResult; readonly replayed: boolean }
  | { readonly type: "best"; readonly trial: number; readonly score: number; readonly config: Config }
  | { readonly type: "progress"; readonly spend: Spend; readonly trials: number }
  | { readonly type: "log"; readonly message: string }
  | { readonly type: "stop"; readonly reason: StopReason; readonly detail?: string };

export interface CostEstimate {
  readonly lmCalls: number;
  /** Null when a model the run may call has no known price: the cost is unknown, not $0. */
  readonly usd: number | null;
  readonly trials: number;
  /** How the numbers were reached, for the person deciding whether to start. */
  readonly notes: readonly string[];
  /** optimize()'s plan: the optimizer and parameters chosen for the budget, part by part. */
  readonly plan?: OptimizePlan;
}

export interface PlanInput {
  readonly space: VariableSpace;
  readonly trainSize: number;
  readonly valSize: number;
  /** LM calls one run of the program makes (its number of steps). */
  readonly callsPerRun: number;
}

/** What every optimizer gets: the study (trials, budget, checkpoints) and the data. */
export interface OptimizerContext {
  readonly study: Study;
  readonly program: Module;
  readonly space: VariableSpace;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  readonly metric: Metric;
  /** The optimizer's own random stream. */
  readonly rng: Rng;
  /** The model the optimizer writes proposals and reflections with (journaled for resume). */
  readonly promptLM: LM;
  log(message: string): void;
}

export interface OptimizerOutcome {
  /** The configuration the optimizer recommends (scored on the full validation set). */
  readonly best: Config;
  /** Candidate values it proposed, for the report (e.g. instruction texts). */
  readonly notes?: readonly string[];
}

/** An optimizer: a plan (for the cost estimate) and a run over the shared trial protocol. */
export interface Optimizer {
  readonly name: string;
  plan(input: PlanInput): { readonly lmCalls: number; readonly trials: number; readonly notes?: readonly string[] };
  run(ctx: OptimizerContext): Promise<OptimizerOutcome>;
}

/** Calls and money spent on one part of an optimization. */
export interface SpendPart {
  readonly lmCalls: number;
  readonly usd: number;
}

/** Where an optimization's budget went. */
export interface BudgetUse {
  /** Scoring the program as given on the validation set. */
  readonly baseline: SpendPart;
  /** Teacher runs that produced demos. */
  readonly bootstrap: SpendPart;
  /** The prompt model: dataset summaries, instruction proposals, reflections, advice. */
  readonly proposals: SpendPart;
  /** Evaluations on part of a set (training or validation minibatches, racing rungs). */
  readonly minibatches: SpendPart;
  /** Evaluations on the whole validation set (completing earlier partial ones included). */
  readonly fullEvaluations: SpendPart;
  /** The validation of the final candidate, paid from the calls set aside for it. */
  readonly finalValidation: SpendPart;
}

export interface OptimizationReport<M extends Module = Module> {
  readonly optimizer: string;
  readonly program: M;
  readonly config: Config;
  readonly bestScore: number;
  readonly baselineScore: number;
  readonly trials: readonly TrialResult[];
  readonly paretoFront: readonly TrialResult[];
  readonly spend: Spend;
  /** How the spend divides between the baseline, bootstrapping, proposals, minibatches and full evaluations. */
  readonly budgetUse: BudgetUse;
  /**
   * When prices are known: the quality-cost Pareto front of the fully validated configurations
   * and the cheapest one within one standard error of the best (cost per prediction).
   */
  readonly costAware?: CostAwareResult;
  readonly estimate: CostEstimate;
  readonly stopReason: StopReason;
  readonly seed: number;
  /** What the optimizer wants the reader to know (e.g. GEPA's Pareto front and hypervolume). */
  readonly notes: readonly string[];
  /** Set when the run was on the offline demo model (a simulator): scores and costs are simulated. */
  readonly demo?: true;
}

export type { Example, Metric, Objective };
