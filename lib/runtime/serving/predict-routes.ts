// POST /api/v1/programs/:name/predict and /predict/batch.
import type { ServerResponse } from "node:http";
import { DspexError } from "../../dspex";
import { type PredictBatchItem, type PredictBatchResponse, type PredictResponse, type RunLabels } from "../../schemas";
import type { ProgramLookup } from "./program-lookup";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";
import { runPrediction, sumUsage, type PredictionEnv, type PredictionOutcome } from "./run-prediction";

/** The run labels a body carries (absent ones left out). */
function labelsOf(body: RunLabels): RunLabels {
  return { ...(body.tags && { tags: body.tags }), ...(body.userId && { userId: body.userId }), ...(body.sessionId && { sessionId: body.sessionId }) };
}

/** Aborts the runs of a request whose client went away before the answer was sent. */
function abortOnClose(res: ServerResponse, controllers: Iterable<AbortController>): void {
  res.once("close", () => {
    if (res.writableFinished) return;
    for (const c of controllers) c.abort(new DspexError("ABORTED", "the client closed the connection before the prediction finished"));
  });
}

export function predictRoutes(env: PredictionEnv, programs: ProgramLookup): Route[] {
  const predict = implement(routes.predict, async ({ params, body, caller, res }) => {
    const target = await programs.resolve(params.name, body.version);
    const controller = new AbortController();
    abortOnClose(res, [controller]);
    const outcome = await runPrediction(env, target, body.input, caller, "input", controller, labelsOf(body));
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
  });

  const batch = implement(routes.predictBatch, async ({ params, body, caller, res }) => {
    const started = performance.now();
    const target = await programs.resolve(params.name, body.version);
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
        outcomes[i] = await runPrediction(env, target, body.inputs[i]!, caller, `inputs.${i}`, controller, labelsOf(body));
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
  });

  return [predict, batch];
}
