import type { Usage } from "../lm/types";
import type { Values } from "../signatures/types";
import type { RunTrace } from "../trace";

export interface Example<I extends Values = Values, O extends Values = Values> {
  readonly inputs: I;
  /** The expected outputs (labels); metrics compare predictions against them. */
  readonly outputs: O;
  readonly id?: string;
}

/** A metric's verdict: a number (usually 0..1), a boolean, or a score with textual feedback. */
export type MetricValue = number | boolean | { readonly score: number; readonly feedback?: string };

export type Metric<I extends Values = Values, O extends Values = Values> = (
  example: Example<I, O>,
  prediction: Values,
  trace?: RunTrace,
) => MetricValue | Promise<MetricValue>;

export interface ExampleResult<I extends Values = Values, O extends Values = Values> {
  readonly index: number;
  readonly example: Example<I, O>;
  readonly outputs?: Values;
  readonly score: number;
  readonly feedback?: string;
  readonly error?: string;
  readonly latencyMs: number;
  /** Dollars of the calls whose price is known (see unpricedCalls). */
  readonly costUsd: number;
  readonly usage: Usage;
  readonly lmCalls: number;
  /** Calls whose model has no known price. */
  readonly unpricedCalls?: number;
  readonly trace?: RunTrace;
}

export interface EvaluationProgress {
  readonly done: number;
  readonly total: number;
  readonly errors: number;
  /** Mean score of the examples finished so far. */
  readonly mean: number;
  readonly costUsd: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
}

export interface EvaluationReport<I extends Values = Values, O extends Values = Values> {
  readonly n: number;
  readonly errors: number;
  readonly mean: number;
  readonly stdev: number;
  /** 95% confidence interval of the mean (Student's t). */
  readonly ci95: { readonly low: number; readonly high: number };
  /** Dollars, or null when some call's model has no known price ("price unknown", never $0); see unpricedCalls. */
  readonly totalCostUsd: number | null;
  /** Calls whose model has no known price: set a price override for it (or a zero price to mark it free). */
  readonly unpricedCalls: number;
  readonly usage: Usage;
  readonly lmCalls: number;
  readonly cacheHits: number;
  readonly latencyMs: Percentiles;
  readonly durationMs: number;
  readonly results: readonly ExampleResult<I, O>[];
  /** Set when the program ran on the offline demo model (a simulator): the scores and costs are simulated. */
  readonly demo?: true;
}
