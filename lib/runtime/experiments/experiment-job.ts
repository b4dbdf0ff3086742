// The "experiment" job: runs each version of an experiment on its examples, each example as one
// traced run (source "evaluation", so its trace opens from the results), scored by the program's
// metric, and stores the result. A retried attempt skips the results already stored.
import PQueue from "p-queue";
import { z } from "zod";
import { normalizeMetric, type LM, type Metric, type Module, type Tracer, type Values } from "../../dspex";
import type { ProgramResolver } from "../programs";
import type { Store } from "../store";
import { defineJob, PermanentJobError, type JobDefinition, type JobRunContext } from "../jobs";

export const EXPERIMENT_JOB = "experiment";

export const ExperimentJobPayloadSchema = z.strictObject({
  experimentId: z.string().trim().min(1, "must name an experiment").max(128),
  concurrency: z.int().min(1).max(16).default(4),
});
export type ExperimentJobPayload = z.infer<typeof ExperimentJobPayloadSchema>;

/** One traced run: the framework's tracer, and its end. */
export interface ExperimentRunRecorder {
  readonly tracer: Tracer;
  readonly runId: string;
  finish(end: { status: "ok" | "error"; output?: unknown; error?: string | null }): Promise<{ readonly costUsd: number; readonly latencyMs: number }>;
}

export interface ExperimentJobDependencies {
  readonly store: Pick<Store, "experimentPlan" | "setExperimentStatus" | "recordExperimentResult">;
  readonly resolver: Pick<ProgramResolver, "resolveProgram">;
  /** The LM for one version's runs (budgets of the program apply). */
  lmFor(scopes: { readonly programId: string; readonly versionId: string }): LM;
  /** Starts recording one run of one example. */
  recordRun(init: { readonly programId: string; readonly programName: string; readonly versionId: string; readonly input: unknown }): ExperimentRunRecorder;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function runOne(deps: ExperimentJobDependencies, program: { id: string; name: string }, versionId: string, module: Module, metric: Metric, example: { id?: string; position: number; inputs: Values; outputs: Values }, lm: LM, signal: AbortSignal): Promise<Parameters<Store["recordExperimentResult"]>[1]> {
  const run = deps.recordRun({ programId: program.id, programName: program.name, versionId, input: example.inputs });
  let output: Values | undefined;
  let error: string | null = null;
  try {
    output = await module.run(example.inputs, { lm, tracer: run.tracer, signal });
  } catch (err) {
    error = message(err);
  }
  const totals = await run.finish(error === null ? { status: "ok", output } : { status: "error", error });
  let score: number | null = null;
  if (output !== undefined) {
    try {
      score = normalizeMetric(await metric({ inputs: example.inputs, outputs: example.outputs }, output)).score;
    } catch (err) {
      error = `metric: ${message(err)}`;
    }
  }
  return { versionId, exampleId: example.id ?? String(example.position), position: example.position, input: example.inputs, expected: example.outputs, output: output ?? null, score: error !== null && score === null ? 0 : score, error, runId: run.runId, costUsd: totals.costUsd, latencyMs: totals.latencyMs };
}

async function runExperiment(deps: ExperimentJobDependencies, payload: ExperimentJobPayload, ctx: JobRunContext): Promise<{ readonly experimentId: string; readonly results: number }> {
  const { experimentId } = payload;
  const plan = await deps.store.experimentPlan(experimentId);
  if (plan.status === "completed") return { experimentId, results: plan.done.size };
  await deps.store.setExperimentStatus(experimentId, "running");
  const program = { id: plan.programId, name: plan.programName };
  let results = plan.done.size;
  for (const versionId of plan.versionIds) {
    let resolved;
    try {
      resolved = await deps.resolver.resolveProgram(plan.programName, versionId);
    } catch (err) {
      throw new PermanentJobError(`experiment ${experimentId}: version ${versionId} of "${plan.programName}" cannot be loaded: ${message(err)}`, { cause: err });
    }
    const metric = resolved.registered.metric;
    if (!metric) throw new PermanentJobError(`experiment ${experimentId}: program "${plan.programName}" has no metric; add \`metric\` to its defineServedProgram(...) to compare versions on a dataset`);
    const lm = deps.lmFor({ programId: plan.programId, versionId });
    const queue = new PQueue({ concurrency: payload.concurrency });
    for (const example of plan.examples) {
      if (plan.done.has(`${versionId}/${example.id}`)) continue;
      void queue.add(async () => {
        if (ctx.signal.aborted) return;
        await deps.store.recordExperimentResult(experimentId, await runOne(deps, program, versionId, resolved.module, metric, example, lm, ctx.signal));
        results++;
      });
    }
    await queue.onIdle();
    if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error("the experiment was stopped");
  }
  await deps.store.setExperimentStatus(experimentId, "completed");
  return { experimentId, results };
}

export function createExperimentJob(deps: ExperimentJobDependencies): JobDefinition<ExperimentJobPayload> {
  return defineJob<ExperimentJobPayload>({
    kind: EXPERIMENT_JOB,
    payload: ExperimentJobPayloadSchema,
    maxAttempts: 2,
    run: (payload, ctx) => runExperiment(deps, payload, ctx),
    async failed({ experimentId }, { error }) {
      await deps.store.setExperimentStatus(experimentId, "failed", error);
    },
    async cancelled({ experimentId }) {
      await deps.store.setExperimentStatus(experimentId, "failed", "stopped before it finished");
    },
  });
}
