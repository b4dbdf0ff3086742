import PQueue from "p-queue";
import type { RunContext } from "../context";
import { lmOrConfigured } from "../configure";
import { DspexError } from "../errors";
import { addUsage, EMPTY_USAGE, isDemoLM } from "../lm/types";
import { toContext, type ContextLike, type Module } from "../modules/module";
import type { Values } from "../signatures/types";
import { TeeTracer, TraceRecorder, traceTotals } from "../trace";
import { meanAndInterval, percentiles } from "./statistics";
import type { EvaluationProgress, EvaluationReport, Example, ExampleResult, Metric, MetricValue } from "./types";

export interface EvaluateOptions {
  /** Examples running at once (default 8). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: EvaluationProgress) => void;
  /** Stop starting new examples after this many failures (default: never). */
  readonly maxErrors?: number;
  /** Keep each example's trace in the report (default true). */
  readonly keepTraces?: boolean;
  /** The score of an example whose run failed, or whose metric threw with onError "score-zero" (default 0). */
  readonly errorScore?: number;
  /**
   * When the metric throws: "stop" (default) ends the evaluation with an error naming the example
   * and the metric's error (a metric bug must not pass for a low score); "score-zero" scores the
   * example errorScore and goes on, the error kept in its result.
   */
  readonly onError?: "stop" | "score-zero";
}

export function normalizeMetric(value: MetricValue): { score: number; feedback?: string } {
  if (typeof value === "boolean") return { score: value ? 1 : 0 };
  if (typeof value === "number") return { score: value };
  return value;
}

/** Runs a program over a dataset and scores each prediction with the metric. */
export async function evaluate<I extends Values, O extends Values>(
  program: Module<I, Values>,
  dataset: readonly Example<I, O>[],
  metric: Metric<I, O>,
  context?: ContextLike,
  options: EvaluateOptions = {},
): Promise<EvaluationReport<I, O>> {
  const given = context === undefined ? undefined : toContext(context);
  const ctx: RunContext = given?.lm ? given : { ...given, lm: lmOrConfigured(undefined, "evaluate") };
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new DspexError("OPTION_INVALID", `evaluate: concurrency must be a positive integer; got ${String(concurrency)}`);
  const started = performance.now();
  const results: ExampleResult<I, O>[] = new Array(dataset.length);
  const queue = new PQueue({ concurrency });
  let done = 0;
  let errors = 0;
  let scoreSum = 0;
  let costSum = 0;

  const onError = options.onError ?? "stop";
  if (onError !== "stop" && onError !== "score-zero") throw new DspexError("OPTION_INVALID", `evaluate: onError must be "stop" or "score-zero"; got ${JSON.stringify(onError)}`);
  await Promise.all(
    dataset.map((example, index) =>
      queue.add(async () => {
        if (options.maxErrors !== undefined && errors >= options.maxErrors) return;
        const result = await evaluateOne(program, example, index, metric, ctx, options).catch((err: unknown) => {
          queue.clear();
          throw err;
        });
        results[index] = result;
        done++;
        if (result.error) errors++;
        scoreSum += result.score;
        costSum += result.costUsd;
        options.onProgress?.({ done, total: dataset.length, errors, mean: scoreSum / done, costUsd: costSum });
      }),
    ),
  );

  const finished = results.filter((r): r is ExampleResult<I, O> => r !== undefined);
  const stats = meanAndInterval(finished.map((r) => r.score));
  let usage = EMPTY_USAGE;
  let lmCalls = 0;
  let cacheHits = 0;
  let unpricedCalls = 0;
  for (const r of finished) {
    usage = addUsage(usage, r.usage);
    lmCalls += r.lmCalls;
    unpricedCalls += r.unpricedCalls ?? 0;
    cacheHits += r.trace ? r.trace.lmCalls.filter((c) => c.cacheHit).length : 0;
  }
  return {
    n: finished.length,
    errors,
    mean: stats.mean,
    stdev: stats.stdev,
    ci95: { low: stats.low, high: stats.high },
    totalCostUsd: unpricedCalls > 0 ? null : costSum,
    unpricedCalls,
    usage,
    lmCalls,
    cacheHits,
    latencyMs: percentiles(finished.map((r) => r.latencyMs)),
    durationMs: performance.now() - started,
    results: finished,
    ...(isDemoLM(ctx.lm) && { demo: true as const }),
  };
}

async function evaluateOne<I extends Values, O extends Values>(
  program: Module<I, Values>,
  example: Example<I, O>,
  index: number,
  metric: Metric<I, O>,
  ctx: RunContext,
  options: EvaluateOptions,
): Promise<ExampleResult<I, O>> {
  const recorder = new TraceRecorder();
  const tracer = ctx.tracer ? new TeeTracer([recorder, ctx.tracer]) : recorder;
  const t0 = performance.now();
  let outputs: Values | undefined;
  let score = options.errorScore ?? 0;
  let feedback: string | undefined;
  let error: string | undefined;
  try {
    outputs = await program.run(example.inputs, { ...ctx, tracer, paths: undefined });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const latencyMs = performance.now() - t0;
  const trace = recorder.toJSON();
  if (outputs !== undefined) {
    try {
      ({ score, feedback } = normalizeMetric(await metric(example, outputs, trace)));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (options.onError !== "score-zero") {
        throw new DspexError("METRIC_FAILED", `evaluate: the metric threw on example ${index} (inputs ${preview(example.inputs)}): ${message}; fix the metric, or pass onError: "score-zero" to score such examples 0`, { cause: err });
      }
      error = `metric failed: ${message}`;
    }
  }
  const totals = traceTotals(trace);
  return {
    index,
    example,
    outputs,
    score,
    ...(feedback !== undefined ? { feedback } : {}),
    ...(error !== undefined ? { error } : {}),
    latencyMs,
    costUsd: totals.costUsd,
    usage: totals.usage,
    lmCalls: totals.lmCalls,
    ...(totals.unpricedCalls > 0 && { unpricedCalls: totals.unpricedCalls }),
    ...(options.keepTraces === false ? {} : { trace }),
  };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
