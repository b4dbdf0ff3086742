// The embedded backend (the default): workers in this process claim due jobs from the Job table,
// run each attempt under the jobs supervisor, and record every outcome there. At start, jobs
// left `running` by a process that died are re-queued (or failed on their last attempt), and
// periodically so are jobs whose worker stopped sending heartbeats (several processes on PostgreSQL).
import type { z } from "zod";
import type { EnqueueJobOptions, JobListFilters } from "../../schemas/jobs";
import type { Page, PageQuery } from "../../schemas/pagination";
import type { TimerHandle } from "../clock";
import { cancelJobRow, claimNext, getJob, insertJob, listJobs, recoverOrphans, settleAttempt, type ClaimedJob } from "../store";
import { createJobRegistry, type JobRegistry } from "./define-job";
import { errorText } from "./errors";
import { runCancelledHook, runFailedHook } from "./hooks";
import { JobRunner } from "./job-runner";
import { prepareJob } from "./prepare-job";
import { EmbeddedQueueOptionsSchema, parseQueueOptions, type EmbeddedQueueOptions, type ResolvedDependencies } from "./options";
import type { JobQueue, JobView } from "./types";
import { isDeadLocalWorker, newWorkerId } from "./worker-id";

type Settings = z.output<typeof EmbeddedQueueOptionsSchema>;

/** The in-process queue. Options are checked here (JobConfigError OPTIONS_INVALID); nothing runs before start(). */
export function createEmbeddedJobQueue(options: EmbeddedQueueOptions): JobQueue {
  const { deps, settings } = parseQueueOptions("embedded job queue", EmbeddedQueueOptionsSchema, options);
  return new EmbeddedJobQueue(deps, settings);
}

class EmbeddedJobQueue implements JobQueue {
  readonly backend = "embedded" as const;
  readonly workerId = newWorkerId();
  private readonly registry: JobRegistry;
  private state: "idle" | "running" | "stopping" = "idle";
  private runner: JobRunner | undefined;
  private pollTimer: TimerHandle | undefined;
  private orphanTimer: TimerHandle | undefined;
  /** The claiming loop, while it runs. */
  private pumping: Promise<void> | undefined;
  private again = false;
  /** Attempts claimed here and not yet recorded, by job id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private transition: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ResolvedDependencies,
    private readonly settings: Settings,
  ) {
    this.registry = createJobRegistry(deps.jobs);
  }

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  async enqueue(kind: string, payload: unknown, options?: EnqueueJobOptions): Promise<{ id: string }> {
    const job = prepareJob(this.registry, kind, payload, options, this.settings.retryDelayMs);
    const row = await insertJob(this.deps.prisma, job, this.now());
    if (this.state === "running") void this.pump();
    return { id: row.id };
  }

  async cancel(id: string): Promise<JobView> {
    const outcome = await cancelJobRow(this.deps.prisma, id, this.now());
    if (outcome.kind === "unchanged") return outcome.job;
    this.runner?.abort(id, "cancelled");
    await runCancelledHook(this.registry, this.deps.log, outcome.job, { jobId: id, wasRunning: outcome.wasRunning });
    return outcome.job;
  }

  get(id: string): Promise<JobView> {
    return getJob(this.deps.prisma, id);
  }

  list(filters?: JobListFilters, page?: PageQuery): Promise<Page<JobView>> {
    return listJobs(this.deps.prisma, filters, page);
  }

  start(): Promise<void> {
    return this.serial(async () => {
      if (this.state === "running") return;
      const { prisma, clock, log, supervisor, onSupervisorEvent } = this.deps;
      this.runner = new JobRunner({ prisma, registry: this.registry, workerId: this.workerId, clock, heartbeatMs: this.settings.heartbeatMs, shutdownMs: this.settings.shutdownMs, retryDelayMs: this.settings.retryDelayMs, log, parent: supervisor, onSupervisorEvent });
      await this.runner.start();
      this.state = "running";
      await this.recover();
      this.scheduleRecovery();
      void this.pump();
      log.info({ workerId: this.workerId, kinds: this.registry.kinds, concurrency: this.settings.concurrency }, "embedded job queue started");
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== "running") return;
      this.state = "stopping";
      const { clock, prisma, log } = this.deps;
      for (const timer of [this.pollTimer, this.orphanTimer]) if (timer !== undefined) clock.clearTimeout(timer);
      await this.pumping;
      const abandoned = await this.runner!.stop();
      // Jobs that did not reach a checkpoint in time go back to the queue all the same.
      for (const claim of abandoned) {
        this.inFlight.delete(claim.id);
        await settleAttempt(prisma, claim, this.workerId, { kind: "interrupted", reason: "shutdown" }, 0, this.now()).catch(() => undefined);
        log.warn({ jobId: claim.id }, `job ${claim.id} did not stop within shutdownMs (${this.settings.shutdownMs} ms); re-queued`);
      }
      await Promise.all(this.inFlight.values());
      this.runner = undefined;
      this.state = "idle";
      log.info({ workerId: this.workerId }, "embedded job queue stopped");
    });
  }

  private serial(op: () => Promise<void>): Promise<void> {
    const run = this.transition.then(op);
    this.transition = run.catch(() => undefined);
    return run;
  }

  /** Claims due jobs while slots are free; coalesces concurrent calls; then waits pollMs. */
  private pump(): Promise<void> {
    if (this.state !== "running") return Promise.resolve();
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = this.claimWhileFree().finally(() => {
      this.pumping = undefined;
      this.schedulePoll();
    });
    return this.pumping;
  }

  private async claimWhileFree(): Promise<void> {
    try {
      do {
        this.again = false;
        while (this.state === "running" && this.inFlight.size < this.settings.concurrency) {
          const claim = await claimNext(this.deps.prisma, this.workerId, this.registry.kinds, this.now());
          if (!claim) break;
          if (this.state !== "running") {
            await settleAttempt(this.deps.prisma, claim, this.workerId, { kind: "interrupted", reason: "shutdown" }, 0, this.now());
            break;
          }
          this.execute(claim);
        }
      } while (this.again && this.state === "running");
    } catch (err) {
      this.deps.log.warn({ err: errorText(err) }, "claiming jobs failed; trying again at the next poll");
    }
  }

  private schedulePoll(): void {
    if (this.state !== "running") return;
    if (this.pollTimer !== undefined) this.deps.clock.clearTimeout(this.pollTimer);
    this.pollTimer = this.deps.clock.setTimeout(() => void this.pump(), this.settings.pollMs);
  }

  private execute(claim: ClaimedJob): void {
    const work = this.runner!.run(claim).then(
      () => {
        this.inFlight.delete(claim.id);
        if (this.state === "running") void this.pump();
      },
      () => undefined,
    );
    this.inFlight.set(claim.id, work);
  }

  /** Re-queues (or fails) jobs whose worker is gone, and finalizes cancelled ones; runs their hooks. */
  private async recover(): Promise<void> {
    const { prisma, log } = this.deps;
    try {
      const r = await recoverOrphans(prisma, this.registry.kinds, this.now(), this.settings.staleAfterMs, isDeadLocalWorker);
      for (const job of r.requeued) log.warn({ jobId: job.id, lockedBy: job.lockedBy }, `job ${job.id} was left running by ${job.lockedBy}, which is gone; re-queued`);
      for (const job of r.failed) await runFailedHook(this.registry, log, job, { jobId: job.id, error: job.error, attempts: job.attempts });
      for (const job of r.cancelled) await runCancelledHook(this.registry, log, job, { jobId: job.id, wasRunning: false });
      if (r.requeued.length) void this.pump();
    } catch (err) {
      log.warn({ err: errorText(err) }, "looking for orphaned jobs failed; trying again later");
    }
  }

  private scheduleRecovery(): void {
    if (this.state !== "running") return;
    this.orphanTimer = this.deps.clock.setTimeout(() => {
      void this.recover().finally(() => this.scheduleRecovery());
    }, Math.max(this.settings.heartbeatMs, this.settings.staleAfterMs / 2));
  }
}
