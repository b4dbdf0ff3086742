// A worker process (`npm run worker`): the runtime (database from config, event pipeline,
// programs, LM stack, supervision tree), the same job kinds as the web nodes, and BullMQ workers
// taking jobs from REDIS_URL until stopped.
import { Redis } from "ioredis";
import { composeLM } from "../../dspex";
import { createRealtimeEmitter } from "../../realtime";
import { createDemoTeamJob } from "../agents/demo-team";
import { withLMCallRecording } from "../events";
import type { Config } from "../../config";
import type { Logger } from "../../log";
import { startRuntime, type Runtime } from "../runtime";
import { createBullJobQueue } from "./bullmq-queue";
import type { JobDefinition } from "./define-job";
import { JobConfigError } from "./errors";
import { createOptimizationJob } from "./optimization-job";
import type { BullQueueOptions } from "./options";
import type { JobQueue } from "./types";

/** The job kinds every process registers (web nodes to enqueue and validate, workers to run). */
export function defaultJobs(runtime: Pick<Runtime, "db" | "programs" | "lm" | "bus">): JobDefinition<unknown>[] {
  return [
    createOptimizationJob({
      prisma: runtime.db.prisma,
      resolver: runtime.programs.resolver,
      // Every call an optimization makes is recorded (not as runs): its spend shows on the Costs page.
      lmFor: (optimization) => {
        const scopes = { optimizationId: optimization.id, programId: optimization.program.id };
        return { lm: composeLM(runtime.lm.forScopes(scopes), withLMCallRecording(runtime.bus, scopes)) };
      },
      publish: (name, payload) => runtime.bus.emit(name, payload),
    }),
    // The coder-and-reviewer demo team (issue 7), launched from the Agents page; its agents' states stream live.
    createDemoTeamJob({
      lmFor: () => composeLM(runtime.lm.forScopes({}), withLMCallRecording(runtime.bus, {})),
      publish: (state) => void runtime.bus.emit("agent:state", state).catch(() => {}),
    }),
  ];
}

export interface WorkerProcessOptions {
  readonly config: Config;
  readonly log: Logger;
  /** The job kinds to run (default: defaultJobs(runtime)). */
  readonly jobs?: (runtime: Runtime) => readonly JobDefinition<unknown>[];
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
    runtime = await startRuntime(config, log, {}, { kind: "worker", startJobs: false, io: emitter.io });
  } catch (err) {
    await closeEmitter();
    throw err;
  }
  try {
    const queue = createBullJobQueue({
      concurrency: config.jobConcurrency,
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
