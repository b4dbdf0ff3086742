// The "optimization" job: runs one Optimization row to its end with the framework's
// runOptimization, checkpointing every trial in the database so a stopped or crashed run resumes
// exactly where it was. Stop = cancel the job (status stopped, checkpoint kept); resume = enqueue
// it again. Built from injected dependencies only (database, program resolver, LMs, publisher).
import type { ChangeFeed } from "../changes";
import { z } from "zod";
import { DspexError, jsonKey, runOptimization, type LM, type OptimizationReport, type TrialResult } from "../../dspex";
import type { PrismaClient } from "../../db";
import type { ConfigInput } from "../../schemas/programs";
import { systemClock, type Clock } from "../clock";
import type { ProgramResolver } from "../programs";
import { createProgramVersion, dbCheckpointStore, findVersionByAuthor, getOptimization, loadDatasetSplits, NotFoundError, setOptimizationJob, type OptimizationView } from "../store";
import { defineJob, type JobDefinition, type JobRunContext } from "./define-job";
import { abortReasonOf, errorText, PermanentJobError, type JobAbortReason } from "./errors";
import { OptimizationPublisher, totalsOf, type PublishOptimizationEvent, type Totals } from "./optimization-events";
import { planOptimization, type OptimizationPlan } from "./optimization-plan";
import { moveOptimization, optimizationOwner } from "./optimization-status";

export const OPTIMIZATION_JOB = "optimization";

export const OptimizationJobPayloadSchema = z.strictObject({ optimizationId: z.string().trim().min(1, "must name an optimization").max(128) });
export type OptimizationJobPayload = z.infer<typeof OptimizationJobPayloadSchema>;

export interface OptimizationJobDependencies {
  readonly prisma: PrismaClient;
  readonly resolver: Pick<ProgramResolver, "resolveProgram">;
  /** The models for one optimization: `lm` runs the program, `promptLM` writes proposals (default lm). */
  lmFor(optimization: OptimizationView): { readonly lm: LM; readonly promptLM?: LM } | Promise<{ readonly lm: LM; readonly promptLM?: LM }>;
  /** Receives `trial:finished` and `optimization:status` payloads (validated); a promise is awaited. */
  readonly publish: PublishOptimizationEvent;
  /** Tells every process and browser of the version an optimization saves; optional. */
  readonly changes?: Pick<ChangeFeed, "publish">;
  /** Timestamps of events and statuses. Default: the system clock. */
  readonly clock?: Clock;
  /** Attempts before the optimization fails (default 3; a worker's death counts as one). */
  readonly maxAttempts?: number;
}

/** What the job resolves with (the Job row's result). */
export interface OptimizationJobResult {
  readonly optimizationId: string;
  readonly status: "completed" | "stopped" | "queued";
  readonly bestScore: number | null;
  readonly baselineScore: number | null;
  readonly trials: number;
  readonly resultVersionId: string | null;
}

export function createOptimizationJob(deps: OptimizationJobDependencies): JobDefinition<OptimizationJobPayload> {
  const clock = deps.clock ?? systemClock();
  return defineJob<OptimizationJobPayload>({
    kind: OPTIMIZATION_JOB,
    payload: OptimizationJobPayloadSchema,
    maxAttempts: deps.maxAttempts ?? 3,
    run: (payload, ctx) => runOptimizationJob(deps, clock, payload.optimizationId, ctx),
    async cancelled({ optimizationId }, { jobId, wasRunning }) {
      // A running attempt ends itself with "stopped"; until then the dashboard shows "stopping".
      await moveIfOwner(deps.prisma, optimizationId, jobId, wasRunning ? "stopping" : "stopped", {});
    },
    async failed({ optimizationId }, { jobId, error }) {
      await moveIfOwner(deps.prisma, optimizationId, jobId, "failed", { error });
    },
  });
}

/** Moves the optimization's status on behalf of a job, unless another job owns it now or it has ended. */
async function moveIfOwner(prisma: PrismaClient, id: string, jobId: string, target: "stopping" | "stopped" | "queued" | "failed", data: { error?: string }): Promise<OptimizationView | undefined> {
  try {
    const view = await getOptimization(prisma, id);
    const owner = await optimizationOwner(prisma, view, jobId);
    if (owner !== "mine" && owner !== "free") return undefined;
    return await moveOptimization(prisma, id, target, data, { unlessEnded: true });
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

const WIND_DOWN_WAIT_MS = 30_000;

async function runOptimizationJob(deps: OptimizationJobDependencies, clock: Clock, id: string, ctx: JobRunContext): Promise<OptimizationJobResult> {
  const view = await enterRunning(deps.prisma, id, ctx.jobId, ctx.signal);
  if (view.status === "completed") return resultOf(view, "completed");
  const initial: Totals = { trials: view.trialCount, bestScore: view.bestScore, baselineScore: view.baselineScore, spentUsd: view.spent.usd, lmCalls: view.spent.lmCalls, elapsedSeconds: view.spent.seconds };
  const publisher = new OptimizationPublisher(id, deps.publish, clock, ctx.log, initial, (t) => ctx.progress({ trials: t.trials, bestScore: t.bestScore, spentUsd: t.spentUsd, lmCalls: t.lmCalls }));
  try {
    const { plan, report } = await runFromCheckpoint(deps, view, publisher, ctx.signal);
    const reason = abortReasonOf(ctx.signal);
    if (reason === "timeout") throw ctx.signal.reason;
    if (reason) return await interrupted(deps.prisma, view, publisher, reason, ctx.jobId);
    return await complete(deps, view, plan, report, publisher);
  } catch (caught) {
    // A checkpoint from another setup, or options the optimizer refuses: no retry would help.
    const err = caught instanceof DspexError && (caught.code === "CHECKPOINT_INVALID" || caught.code === "OPTION_INVALID") ? new PermanentJobError(`optimization ${id}: ${caught.message}`, { cause: caught }) : caught;
    await publisher.flush();
    const reason = abortReasonOf(ctx.signal);
    if (reason && reason !== "timeout") await interrupted(deps.prisma, view, publisher, reason, ctx.jobId);
    else await failedAttempt(deps.prisma, view, publisher, ctx, err);
    throw err;
  }
}

/**
 * The optimization, moved to running by this job (from queued, stopped, failed, or running after
 * a crash). Refused while another job of it is queued or running; waits for a cancelled one to
 * finish its last trial, so two runs never write one checkpoint.
 */
async function enterRunning(prisma: PrismaClient, id: string, jobId: string, signal: AbortSignal): Promise<OptimizationView> {
  const deadline = Date.now() + WIND_DOWN_WAIT_MS;
  for (;;) {
    let view: OptimizationView;
    try {
      view = await getOptimization(prisma, id);
    } catch (err) {
      if (err instanceof NotFoundError) throw new PermanentJobError(`optimization ${id} does not exist (deleted?)`, { cause: err });
      throw err;
    }
    if (view.status === "completed") return view;
    const owner = await optimizationOwner(prisma, view, jobId);
    if (owner === "live") throw new PermanentJobError(`optimization ${id} already runs under job ${view.jobId}; cancel that job first (this one does nothing)`);
    if (owner === "winding-down") {
      if (Date.now() > deadline) throw new Error(`optimization ${id}: its previous job ${view.jobId} is still stopping; retrying later`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (signal.aborted) throw signal.reason;
      continue;
    }
    view = await moveOptimization(prisma, id, "running", { jobId });
    if (view.jobId !== jobId) {
      await setOptimizationJob(prisma, id, jobId, { while: "running" });
      view = { ...view, jobId };
    }
    return view;
  }
}

/** Plans the run and runs it on the database checkpoint: a resumed run replays every stored trial. */
async function runFromCheckpoint(deps: OptimizationJobDependencies, view: OptimizationView, publisher: OptimizationPublisher, signal: AbortSignal): Promise<{ plan: OptimizationPlan; report: OptimizationReport }> {
  const plan = await planOptimization({ loadDatasetSplits: (versionId) => loadDatasetSplits(deps.prisma, versionId) }, deps.resolver, view);
  const { lm, promptLM } = await deps.lmFor(view);
  const report = await runOptimization({
    optimizer: plan.optimizer,
    program: plan.resolved.module,
    space: plan.space,
    trainset: plan.trainset,
    valset: plan.valset,
    metric: plan.metric,
    lm,
    promptLM,
    seed: view.seed,
    budget: plan.budget,
    concurrency: plan.concurrency,
    checkpoint: publisher.wrap(dbCheckpointStore(deps.prisma, view.id)),
    signal,
    onEvent: (event) => {
      publisher.onEvent(event);
      if (event.type !== "start") return;
      const { trials, lmCalls, usd } = event.estimate;
      const message =
        event.resumedTrials > 0
          ? `resumed: ${event.resumedTrials} finished trials replayed from the checkpoint`
          : `started ${plan.optimizer.name} (${plan.reason}); estimate ${trials} trials, ${lmCalls} LM calls, ${usd === null ? "price unknown" : `$${usd.toFixed(4)}`}`;
      void publisher.status("running", message);
    },
  });
  await publisher.flush();
  return { plan, report };
}

/** A failed attempt: queued again while attempts remain (it resumes from the checkpoint), else failed. */
async function failedAttempt(prisma: PrismaClient, view: OptimizationView, publisher: OptimizationPublisher, ctx: JobRunContext, err: unknown): Promise<void> {
  const final = err instanceof PermanentJobError || ctx.attempt >= ctx.maxAttempts;
  const message = final ? errorText(err) : `attempt ${ctx.attempt} of ${ctx.maxAttempts} failed (${errorText(err)}); retrying from the checkpoint`;
  if (await moveIfOwner(prisma, view.id, ctx.jobId, final ? "failed" : "queued", final ? { error: message } : {})) await publisher.status(final ? "failed" : "queued", message);
}

/** Cancelled: stopped (checkpoint kept). Shutdown: queued again, resumes after the restart. Lost: another worker owns it. */
async function interrupted(prisma: PrismaClient, view: OptimizationView, publisher: OptimizationPublisher, reason: JobAbortReason, jobId: string): Promise<OptimizationJobResult> {
  if (reason === "lost") return resultOf(view, "queued");
  const after = (await moveIfOwner(prisma, view.id, jobId, reason === "cancelled" ? "stopped" : "queued", {})) ?? view;
  const stopped = after.status === "stopped";
  const message = stopped ? "stopped; enqueue the optimization job again to resume from the checkpoint" : "paused: its worker is shutting down; it resumes from the checkpoint when a worker starts";
  await publisher.status(stopped ? "stopped" : "queued", message);
  return resultOf(after, stopped ? "stopped" : "queued");
}

async function complete(deps: OptimizationJobDependencies, view: OptimizationView, plan: OptimizationPlan, report: OptimizationReport, publisher: OptimizationPublisher): Promise<OptimizationJobResult> {
  const resultVersionId = await saveResultVersion(deps.prisma, view, plan, report);
  if (resultVersionId) deps.changes?.publish({ kind: "version", id: resultVersionId, program: view.program.name });
  const winner = winningTrial(report);
  const summary = {
    optimizer: report.optimizer,
    reason: plan.reason,
    split: { train: plan.trainset.length, val: plan.valset.length, heldOut: plan.heldOut },
    best: { score: report.bestScore, trial: winner?.number ?? null, config: report.config },
    baseline: { score: report.baselineScore },
    improvement: report.bestScore - report.baselineScore,
    paretoFront: report.paretoFront.map((t) => ({ number: t.number, score: t.score ?? null, values: t.values ?? null, config: t.config })),
    spend: report.spend,
    estimate: report.estimate,
    stopReason: report.stopReason,
    trials: report.trials.length,
    seed: report.seed,
    notes: report.notes,
    resultVersionId,
  };
  const done = await moveOptimization(deps.prisma, view.id, "completed", { report: JSON.parse(JSON.stringify(summary)), resultVersionId });
  const totals = totalsOf(report.trials, report.spend);
  const message = resultVersionId ? `completed: ${report.baselineScore.toFixed(3)} -> ${report.bestScore.toFixed(3)}; the best configuration is a new version to promote` : `completed: nothing beat the base version (${report.baselineScore.toFixed(3)}); no new version`;
  await publisher.status("completed", message, totals);
  return resultOf(done, "completed");
}

function winningTrial(report: OptimizationReport): TrialResult | undefined {
  const key = jsonKey(report.config);
  return report.trials.find((t) => t.state === "complete" && t.evaluation === "full" && jsonKey(t.config) === key);
}

/**
 * The best configuration as a new version of the program (parent: the base version; authored by
 * the optimization; not activated). None when it equals the base. A version this optimization
 * already saved (a crash right after saving it) is reused.
 */
async function saveResultVersion(prisma: PrismaClient, view: OptimizationView, plan: OptimizationPlan, report: OptimizationReport): Promise<string | null> {
  const existing = await findVersionByAuthor(prisma, view.program.id, "optimization", view.id);
  if (existing) return existing;
  const changes = plan.space.diff(plan.space.defaults(), report.config);
  if (changes.length === 0) return null;
  const version = await createProgramVersion(prisma, plan.resolved.registered.space, {
    programName: view.program.name,
    parentId: plan.resolved.versionId,
    config: Object.fromEntries(changes.flatMap((c) => (c.after === undefined ? [] : [[c.name, c.after] as const]))) as ConfigInput,
    authorKind: "optimization",
    authorId: view.id,
    message: `optimization ${view.id} (${report.optimizer}, seed ${report.seed}): ${report.baselineScore.toFixed(3)} -> ${report.bestScore.toFixed(3)}; changed ${changes.map((c) => c.name).join(", ")}`.slice(0, 1000),
    activate: false,
  });
  return version.id;
}

function resultOf(view: OptimizationView, status: OptimizationJobResult["status"]): OptimizationJobResult {
  return { optimizationId: view.id, status, bestScore: view.bestScore, baselineScore: view.baselineScore, trials: view.trialCount, resultVersionId: view.resultVersionId };
}
