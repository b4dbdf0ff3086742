// POST /api/v1/programs/:name/predict and /predict/batch.
import type { ServerResponse } from "node:http";
import { DspexError } from "../../dspex";
import {
  PredictBatchBodySchema,
  PredictBatchResponseSchema,
  PredictBodySchema,
  PredictResponseSchema,
  ProgramNameParamsSchema,
  type PredictBatchBody,
  type PredictBatchItem,
  type PredictBatchResponse,
  type PredictBody,
  type PredictResponse,
} from "../../schemas";
import type { ProgramLookup } from "./program-lookup";
import { defineRoute, type Route } from "./router";
import { runPrediction, sumUsage, type PredictionEnv, type PredictionOutcome } from "./run-prediction";

const RUN_ERRORS = ["NOT_FOUND", "VERSION_INVALID", "BUDGET_EXCEEDED", "TIMEOUT", "LM_TIMEOUT", "LM_ERROR", "OUTPUT_PARSE", "OUTPUT_INVALID", "PROVIDER_UNAVAILABLE", "RUN_FAILED", "RUN_NOT_RECORDED", "ABORTED"] as const;

const QA_INPUT = { context: "DSPEx is a TypeScript platform for language-model programs.", question: "What is DSPEx?" };

/** Aborts the runs of a request whose client went away before the answer was sent. */
function abortOnClose(res: ServerResponse, controllers: Iterable<AbortController>): void {
  res.once("close", () => {
    if (res.writableFinished) return;
    for (const c of controllers) c.abort(new DspexError("ABORTED", "the client closed the connection before the prediction finished"));
  });
}

export function predictRoutes(env: PredictionEnv, programs: ProgramLookup): Route[] {
  const predict = defineRoute<undefined, PredictBody>(
    {
      method: "POST",
      path: "/api/v1/programs/{name}/predict",
      operationId: "predict",
      summary: "Run a program on one input",
      description:
        "Runs the program's active version (or the pinned `version`, by id or number) on `input`, which must fit the program's signature. The run, its spans and LM calls are recorded; the response names the run and trace.",
      tag: "predictions",
      auth: true,
      params: ProgramNameParamsSchema,
      body: { name: "PredictBody", schema: PredictBodySchema, example: { input: QA_INPUT }, limit: "single" },
      success: { status: 200, name: "PredictResponse", schema: PredictResponseSchema, description: "The program's output, with its run, trace, version, usage, cost and latency." },
      errors: ["INPUT_INVALID", ...RUN_ERRORS],
      runs: true,
    },
    async ({ params, body, caller, res }) => {
      const target = await programs.resolve(params.name!, body.version);
      const controller = new AbortController();
      abortOnClose(res, [controller]);
      const outcome = await runPrediction(env, target, body.input, caller, "input", controller);
      if (!outcome.ok) throw outcome.runId ? outcome.error.withHeaders({ "x-run-id": outcome.runId }) : outcome.error;
      const response: PredictResponse = {
        output: outcome.output,
        runId: outcome.runId,
        traceId: outcome.traceId,
        version: { id: target.resolved.versionId, number: target.resolved.versionNumber },
        usage: outcome.usage,
        costUsd: outcome.costUsd,
        latencyMs: outcome.latencyMs,
      };
      return { status: 200, body: response };
    },
  );

  const batch = defineRoute<undefined, PredictBatchBody>(
    {
      method: "POST",
      path: "/api/v1/programs/{name}/predict/batch",
      operationId: "predictBatch",
      summary: "Run a program on up to 100 inputs",
      description:
        "Runs one version of the program on each input (a few at a time) and answers with one result per input, in order: the output, or the error of that item. Each item is its own recorded run. Each input counts against the key's rate limit.",
      tag: "predictions",
      auth: true,
      params: ProgramNameParamsSchema,
      body: {
        name: "PredictBatchBody",
        schema: PredictBatchBodySchema,
        example: { inputs: [QA_INPUT, { ...QA_INPUT, question: "Which framework inspired DSPEx?" }], version: 1 },
        limit: "batch",
        cost: (b) => b.inputs.length,
      },
      success: { status: 200, name: "PredictBatchResponse", schema: PredictBatchResponseSchema, description: "One result per input, with totals." },
      errors: ["NOT_FOUND", "VERSION_INVALID"],
    },
    async ({ params, body, caller, res }) => {
      const started = performance.now();
      const target = await programs.resolve(params.name!, body.version);
      const n = body.inputs.length;
      const outcomes = new Array<PredictionOutcome>(n);
      const live = new Set<AbortController>();
      abortOnClose(res, live);
      let next = 0;
      const worker = async () => {
        while (next < n) {
          const i = next++;
          const controller = new AbortController();
          live.add(controller);
          outcomes[i] = await runPrediction(env, target, body.inputs[i]!, caller, `inputs.${i}`, controller);
          live.delete(controller);
        }
      };
      await Promise.all(Array.from({ length: Math.min(env.batchConcurrency, n) }, worker));
      const results = outcomes.map(
        (o): PredictBatchItem =>
          o.ok
            ? { ok: true, output: o.output, runId: o.runId, traceId: o.traceId, usage: o.usage, costUsd: o.costUsd, latencyMs: o.latencyMs }
            : { ok: false, error: o.error.body().error, runId: o.runId, traceId: o.traceId },
      );
      const succeeded = results.filter((r) => r.ok).length;
      const totals = outcomes.map((o) => (o.ok ? o : o.totals));
      const response: PredictBatchResponse = {
        version: { id: target.resolved.versionId, number: target.resolved.versionNumber },
        results,
        succeeded,
        failed: n - succeeded,
        usage: sumUsage(totals.map((t) => t?.usage)),
        costUsd: totals.reduce((s, t) => s + (t?.costUsd ?? 0), 0),
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      return { status: 200, body: response };
    },
  );

  return [predict, batch];
}
