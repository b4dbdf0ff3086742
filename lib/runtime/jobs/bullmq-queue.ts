// The scaled-out backend: BullMQ on Redis carries the work to workers in any process (web nodes
// may only enqueue), the Job table keeps the same bookkeeping as the embedded backend, and each
// attempt runs under the same supervised runner. A worker that dies leaves its job locked; the
// lock expires, BullMQ's stalled check hands the job to another worker, which takes it over.
import { Redis } from "ioredis";
import { Queue, UnrecoverableError, WaitingError, Worker, type Job as BullJob } from "bullmq";
import type { z } from "zod";
import { JOB_PRIORITY_MAX, type EnqueueJobOptions, type JobListFilters } from "../../schemas/jobs";
import type { Page, PageQuery } from "../../schemas/pagination";
import { cancelJobRow, deleteJobRow, getJob, insertJob, listJobs, settleAttempt, takeOver } from "../store";
import { createJobRegistry, type JobRegistry } from "./define-job";
import { errorText } from "./errors";
import { runCancelledHook, runFailedHook } from "./hooks";
import { JobRunner } from "./job-runner";
import { prepareJob } from "./prepare-job";
import { BullQueueOptionsSchema, parseQueueOptions, type BullQueueOptions, type ResolvedDependencies } from "./options";
import type { JobQueue, JobView } from "./types";
import { newWorkerId } from "./worker-id";

type Settings = z.output<typeof BullQueueOptionsSchema>;

/** What a BullMQ job carries: only the id of its Job row (the payload lives in the database). */
interface BullData {
  readonly jobId: string;
}

/** The BullMQ queue. Options are checked here (JobConfigError OPTIONS_INVALID); Redis is reached on first use. */
export function createBullJobQueue(options: BullQueueOptions): JobQueue {
  const { deps, settings } = parseQueueOptions("bullmq job queue", BullQueueOptionsSchema, options);
  return new BullJobQueue(deps, settings);
}

class BullJobQueue implements JobQueue {
  readonly backend = "bullmq" as const;
  readonly workerId = newWorkerId();
  private readonly registry: JobRegistry;
  private queue: Queue<BullData> | undefined;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private worker: Worker<BullData> | undefined;
  private runner: JobRunner | undefined;
  private running = false;
  private transition: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ResolvedDependencies,
    private readonly settings: Settings,
  ) {
    this.registry = createJobRegistry(deps.jobs);
  }

  private get cancelChannel(): string {
    return `${this.settings.prefix}:${this.settings.queueName}:cancel`;
  }

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  private producer(): { queue: Queue<BullData>; publisher: Redis } {
    const { redisUrl, prefix, queueName } = this.settings;
    this.queue ??= new Queue<BullData>(queueName, { connection: { url: redisUrl }, prefix });
    if (!this.publisher) {
      this.publisher = new Redis(redisUrl);
      this.publisher.on("error", (err) => this.deps.log.warn({ err: errorText(err) }, "redis (job cancel messages) error"));
    }
    return { queue: this.queue, publisher: this.publisher };
  }

  async enqueue(kind: string, payload: unknown, options?: EnqueueJobOptions): Promise<{ id: string }> {
    const job = prepareJob(this.registry, kind, payload, options, this.settings.retryDelayMs);
    const { queue } = this.producer();
    const row = await insertJob(this.deps.prisma, job, this.now());
    try {
      await queue.add(
        kind,
        { jobId: row.id },
        {
          jobId: row.id,
          attempts: job.maxAttempts,
          backoff: { type: "exponential", delay: job.retryDelayMs },
          // BullMQ runs lower numbers first; ours run higher first.
          priority: JOB_PRIORITY_MAX + 1 - job.priority,
          delay: job.delayMs,
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    } catch (err) {
      // Never leave a row no worker will ever see.
      await deleteJobRow(this.deps.prisma, row.id).catch(() => undefined);
      throw err;
    }
    return { id: row.id };
  }

  async cancel(id: string): Promise<JobView> {
    const outcome = await cancelJobRow(this.deps.prisma, id, this.now());
    if (outcome.kind === "unchanged") return outcome.job;
    const { queue, publisher } = this.producer();
    if (outcome.wasRunning) {
      // Workers anywhere abort it at once; one that misses the message learns it at its next heartbeat.
      await publisher.publish(this.cancelChannel, id).catch((err: unknown) => this.deps.log.warn({ err: errorText(err) }, "cancel message not sent"));
      this.runner?.abort(id, "cancelled");
    } else {
      await queue.remove(id).catch(() => 0);
    }
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
      if (this.running) return;
      const { prisma, clock, log, supervisor, onSupervisorEvent } = this.deps;
      const s = this.settings;
      const { queue } = this.producer();
      await queue.waitUntilReady();
      if (s.workers) {
        this.runner = new JobRunner({ prisma, registry: this.registry, workerId: this.workerId, clock, heartbeatMs: s.heartbeatMs, shutdownMs: s.shutdownMs, retryDelayMs: s.retryDelayMs, log, parent: supervisor, onSupervisorEvent });
        await this.runner.start();
        this.subscriber = new Redis(s.redisUrl);
        this.subscriber.on("error", (err) => log.warn({ err: errorText(err) }, "redis (job cancel subscription) error"));
        this.subscriber.on("message", (_channel: string, id: string) => this.runner?.abort(id, "cancelled"));
        await this.subscriber.subscribe(this.cancelChannel);
        this.worker = new Worker<BullData>(s.queueName, (job, token) => this.process(job, token), {
          connection: { url: s.redisUrl, maxRetriesPerRequest: null },
          prefix: s.prefix,
          name: this.workerId,
          concurrency: s.concurrency,
          lockDuration: s.lockDurationMs,
          stalledInterval: s.stalledIntervalMs,
          // The Job table counts attempts (a dead worker's attempt included) and decides when to give up.
          maxStalledCount: 1000,
        });
        this.worker.on("error", (err) => log.warn({ err: errorText(err) }, "bullmq worker error"));
        await this.worker.waitUntilReady();
      }
      this.running = true;
      log.info({ workerId: this.workerId, kinds: this.registry.kinds, workers: s.workers, concurrency: s.concurrency }, "bullmq job queue started");
    });
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      const { log } = this.deps;
      if (this.worker && this.runner) {
        await this.worker.pause(true).catch(() => undefined);
        const abandoned = await this.runner.stop();
        for (const claim of abandoned) {
          await settleAttempt(this.deps.prisma, claim, this.workerId, { kind: "interrupted", reason: "shutdown" }, 0, this.now()).catch(() => undefined);
          log.warn({ jobId: claim.id }, `job ${claim.id} did not stop within shutdownMs (${this.settings.shutdownMs} ms); re-queued, another worker takes it once its lock expires`);
        }
        // Jobs that ended were put back by their processor; a job that did not is left to expire.
        await this.worker.close(abandoned.length > 0);
      }
      await this.subscriber?.quit().catch(() => undefined);
      await this.publisher?.quit().catch(() => undefined);
      await this.queue?.close();
      this.worker = this.runner = this.subscriber = this.publisher = this.queue = undefined;
      if (this.running) log.info({ workerId: this.workerId }, "bullmq job queue stopped");
      this.running = false;
    });
  }

  private serial(op: () => Promise<void>): Promise<void> {
    const run = this.transition.then(op);
    this.transition = run.catch(() => undefined);
    return run;
  }

  /** One delivery of a BullMQ job: claim its row, run the attempt, record it, and tell BullMQ what follows. */
  private async process(job: BullJob<BullData>, token: string | undefined): Promise<unknown> {
    const { prisma, log } = this.deps;
    const id = job.data.jobId;
    if (this.runner?.has(id)) {
      // Delivered again while still running here (this worker missed its lock renewals): the running attempt records it.
      log.warn({ jobId: id }, `job ${id} was delivered again while it still runs on this worker; ignoring the second delivery`);
      return null;
    }
    const taken = await takeOver(prisma, id, this.workerId, this.now());
    if (taken.kind === "skip") return null;
    if (taken.kind === "cancelled") {
      await runCancelledHook(this.registry, log, taken.job, { jobId: id, wasRunning: false });
      return null;
    }
    if (taken.kind === "failed") {
      await runFailedHook(this.registry, log, taken.job, { jobId: id, error: taken.error, attempts: taken.attempts });
      throw new UnrecoverableError(taken.error);
    }
    const { claim } = taken;
    if (taken.tookOverFrom) log.warn({ jobId: id, from: taken.tookOverFrom }, `job ${id}: its worker ${taken.tookOverFrom} stopped; taken over (attempt ${claim.attempt})`);
    const settled = await this.runner!.run(claim);
    switch (settled.kind) {
      case "completed":
        return settled.result ?? null;
      case "retry":
      case "unrecorded":
        throw new Error(settled.error);
      case "failed":
        throw new UnrecoverableError(settled.error);
      case "requeued":
        if (token) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        return null;
      case "cancelled":
      case "lost":
        return null;
    }
  }
}
