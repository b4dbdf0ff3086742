// A worker process (`npm run worker`): the runtime (database from config, event pipeline,
// programs, LM stack, supervision tree), the same job kinds as the web nodes, and BullMQ workers
// taking jobs from REDIS_URL until stopped.
import { Redis } from "ioredis";
import { createRealtimeEmitter } from "../events/socket-emitter";
import type { Config } from "../../config";
import type { Logger } from "../../log";
import { defaultJobs } from "../default-jobs";
import { startRuntime, type Runtime, type RuntimeOptions } from "../runtime";
import { createBullJobQueue } from "./bullmq-queue";
import type { JobDefinition } from "./define-job";
import { JobConfigError } from "./errors";
import type { BullQueueOptions } from "./options";
import type { JobQueue } from "./types";

export interface WorkerProcessOptions {
  readonly config: Config;
  readonly log: Logger;
  /** The job kinds to run (default: defaultJobs(runtime)). */
  readonly jobs?: (runtime: Runtime) => readonly JobDefinition<unknown>[];
  /** Agent-cluster timings (tests shorten them). */
  readonly cluster?: RuntimeOptions["cluster"];
  /** Queue settings beyond the config (lock duration, stalled interval, prefix...). */
  readonly queue?: Partial<Omit<BullQueueOptions, "prisma" | "jobs" | "redisUrl" | "log" | "supervisor">>;
}

export interface WorkerProcess {
  readonly runtime: Runtime;
  readonly queue: JobQueue;
  /** Graceful: running jobs stop at their next checkpoint and go back to the queue; then the runtime stops. */
  stop(): Promise<void>;
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { config, log } = options;
  if (!config.redisUrl) {
    throw new JobConfigError("OPTIONS_INVALID", "npm run worker", [
      { field: "REDIS_URL", message: "must be set: workers take their jobs from Redis (without it, jobs run inside npm start)" },
    ]);
  }
  // Its events reach browsers through the web servers' socket.io, over the Redis streams adapter.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  const emitter = createRealtimeEmitter(redis);
  const closeEmitter = async () => {
    await emitter.close().catch(() => {});
    redis.disconnect();
  };
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, log, {}, { kind: "worker", startJobs: false, io: emitter.io, ...(options.cluster && { cluster: options.cluster }) });
  } catch (err) {
    await closeEmitter();
    throw err;
  }
  try {
    const queue = createBullJobQueue({
      concurrency: config.jobConcurrency,
      prefix: config.redisPrefix,
      ...options.queue,
      prisma: runtime.db.prisma,
      jobs: [...(options.jobs?.(runtime) ?? defaultJobs(runtime))],
      redisUrl: config.redisUrl,
      log,
      supervisor: runtime.supervisor,
    });
    await queue.start();
    let stopping: Promise<void> | undefined;
    return {
      runtime,
      queue,
      stop: () =>
        (stopping ??= (async () => {
          await queue.stop();
          await runtime.stop();
          await closeEmitter();
        })()),
    };
  } catch (err) {
    await runtime.stop();
    await closeEmitter();
    throw err;
  }
}
