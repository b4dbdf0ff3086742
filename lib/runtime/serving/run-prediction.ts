// One prediction: inputs checked against the signature, then the program runs under its run
// tracer with the budget- and rate-limited LM and a time limit. Every run that starts ends in
// finish(): ok with the output, or error with the reason; the outcome is data, never a throw.
import { addUsage, EMPTY_USAGE, type Module, type RunContext, type Values } from "../../dspex";
import type { RunLabels, Usage } from "../../schemas";
import type { Caller } from "./router";
import { ServingError, toServingError } from "./errors";
import { checkInputSize, type InputLimits } from "./input-guards";
import type { ProgramTarget } from "./program-lookup";
import type { RunTotals, RunTracerInit, ServingDeps, ServingRunTracer } from "./types";

export type PredictionOutcome =
  | ({ readonly ok: true; readonly output: Values; readonly runId: string; readonly traceId: string } & RunTotals)
  | { readonly ok: false; readonly error: ServingError; readonly runId: string | null; readonly traceId: string | null; readonly totals?: RunTotals };

export interface PredictionEnv {
  readonly deps: ServingDeps;
  readonly timeoutMs: number;
  readonly batchConcurrency: number;
  readonly limits: InputLimits;
}

/** Runs `module` until it settles, the deadline passes, or `controller` aborts (then its reason is the error). */
function runWithDeadline(module: Module, input: Values, ctx: RunContext, controller: AbortController, timeoutMs: number, timeoutError: () => ServingError): Promise<Values> {
  const signal = controller.signal;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => controller.abort(timeoutError()), timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    module.run(input, ctx).then(
      (output) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(output);
      },
      (err: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? (signal.reason as Error) : err);
      },
    );
  });
}

/**
 * Validates and runs one input. `inputPrefix` names the input's place in the request for 422
 * field paths ("input", "inputs.3"); `controller` aborts the run (client gone).
 */
export async function runPrediction(
  env: PredictionEnv,
  target: ProgramTarget,
  raw: Values,
  caller: Caller,
  inputPrefix: string,
  controller: AbortController,
  labels: RunLabels = {},
): Promise<PredictionOutcome> {
  let input: Values;
  try {
    checkInputSize(raw, env.limits, inputPrefix);
    input = target.signature ? target.signature.validateInputs(raw, target.name) : raw;
  } catch (err) {
    return { ok: false, error: toServingError(err, inputPrefix), runId: null, traceId: null };
  }
  const init: RunTracerInit = { programId: target.programId, programName: target.name, versionId: target.resolved.versionId, apiKeyId: caller.kind === "key" ? caller.key.id : null, source: caller.kind === "key" ? "api" : "playground", input, ...labels };
  let run: ServingRunTracer;
  try {
    run = env.deps.createRunTracer(init);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, error: new ServingError("RUN_NOT_RECORDED", `the run could not be started because its recording failed (${why}); nothing ran; retry later`), runId: null, traceId: null };
  }
  let output: Values | undefined;
  let failure: ServingError | undefined;
  try {
    const ctx: RunContext = { lm: env.deps.lmFor(init), tracer: run.tracer, signal: controller.signal };
    const timeout = () =>
      new ServingError("TIMEOUT", `program "${target.name}" ran past its time limit of ${env.timeoutMs} ms; the run was stopped and recorded as failed (run ${run.runId})`);
    output = await runWithDeadline(target.resolved.module, input, ctx, controller, env.timeoutMs, timeout);
  } catch (err) {
    failure = toServingError(err, inputPrefix);
  }
  try {
    if (failure !== undefined) {
      const totals = await run.finish("error", undefined, failure.message);
      return { ok: false, error: failure, runId: run.runId, traceId: run.traceId, totals };
    }
    const totals = await run.finish("ok", output);
    return { ok: true, output: output!, runId: run.runId, traceId: run.traceId, usage: totals.usage, costUsd: totals.costUsd, latencyMs: totals.latencyMs };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const error = new ServingError("RUN_NOT_RECORDED", `run ${run.runId} ${failure ? "failed" : "finished"} but could not be recorded (${why}); retry later`);
    return { ok: false, error, runId: run.runId, traceId: run.traceId };
  }
}

export function sumUsage(parts: readonly (Usage | undefined)[]): Usage {
  return parts.reduce<Usage>((sum, part) => (part ? addUsage(sum, part) : sum), EMPTY_USAGE);
}
