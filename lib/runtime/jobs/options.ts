// Queue options are zod-parsed data with documented defaults; a field means the same thing for
// both backends. Anything invalid is refused (JobConfigError naming the field) before a worker starts.
import pino from "pino";
import { z } from "zod";
import type { PrismaClient } from "../../db";
import type { Logger } from "../../log";
import { systemClock, type Clock } from "../clock";
import type { Supervisor, SupervisorEventSink } from "../supervisor";
import type { JobDefinition } from "./define-job";
import { JobConfigError } from "./errors";

const ms = (what: string) => z.number({ error: `must be a number of milliseconds (${what})` }).int("must be a whole number of milliseconds");

export const CommonQueueOptionsSchema = z.object({
  /** Jobs one process runs at once. Default 2. */
  concurrency: z.number().int("must be a whole number").min(1, "must be at least 1").max(256, "must be at most 256").default(2),
  /** How often a running job's Job row gets its heartbeat (and cancellation is noticed). Default 5000. */
  heartbeatMs: ms("between heartbeats").min(10, "must be at least 10").default(5000),
  /** How long stop() waits for aborted jobs to reach their next checkpoint. Default 3000. */
  shutdownMs: ms("to wait on stop").nonnegative("must be 0 or more").default(3000),
  /** Delay before a failed job's first retry, doubled on each further one (a kind may set its own). Default 1000. */
  retryDelayMs: ms("before a retry").nonnegative("must be 0 or more").default(1000),
});

export const EmbeddedQueueOptionsSchema = CommonQueueOptionsSchema.extend({
  /** How often idle workers look for due jobs (enqueues in this process wake them at once). Default 1000. */
  pollMs: ms("between looks for due jobs").min(5, "must be at least 5").default(1000),
  /** A running job whose heartbeat is older than this is orphaned and re-queued (jobs of a dead process of this machine at once). Default 30000. */
  staleAfterMs: ms("without a heartbeat").min(100, "must be at least 100").default(30_000),
}).strict();

export const BullQueueOptionsSchema = CommonQueueOptionsSchema.extend({
  redisUrl: z.string({ error: "must be a Redis URL such as redis://127.0.0.1:6379" }).refine((v) => URL.canParse(v) && ["redis:", "rediss:"].includes(new URL(v).protocol), {
    error: "must be a Redis URL such as redis://127.0.0.1:6379",
  }),
  /** Prefix of every Redis key (several installations or tests may share one Redis). Default "dspex". */
  prefix: z.string().min(1).max(64).regex(/^[A-Za-z0-9:_-]+$/, "must use letters, digits and : _ -").default("dspex"),
  /** The BullMQ queue's name. Default "jobs". */
  queueName: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "must use letters, digits, _ and -").default("jobs"),
  /** Run workers in this process (false on web nodes that only enqueue and read). Default true. */
  workers: z.boolean().default(true),
  /** A job whose worker stops renewing its lock for this long is stalled and taken over by another worker. Default 30000. */
  lockDurationMs: ms("of a job lock").min(100, "must be at least 100").default(30_000),
  /** How often workers look for stalled jobs. Default 30000. */
  stalledIntervalMs: ms("between stalled-job checks").min(100, "must be at least 100").default(30_000),
}).strict();

/** What every queue needs besides data: the database, the job kinds, and optional clock, logger and supervisor events. */
export interface QueueDependencies {
  readonly prisma: PrismaClient;
  readonly jobs: readonly JobDefinition<unknown>[];
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: a silent logger. */
  readonly log?: Logger;
  /** The runtime's supervisor: the jobs supervisor runs as its child "jobs". Default: a supervisor of its own. */
  readonly supervisor?: Supervisor;
  /** Receives the jobs supervisor's `supervisor:child` events (when it has no parent supervisor). */
  readonly onSupervisorEvent?: SupervisorEventSink;
}

export type EmbeddedQueueOptions = QueueDependencies & z.input<typeof EmbeddedQueueOptionsSchema>;
export type BullQueueOptions = QueueDependencies & z.input<typeof BullQueueOptionsSchema>;

export interface ResolvedDependencies {
  readonly prisma: PrismaClient;
  readonly jobs: readonly JobDefinition<unknown>[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly supervisor?: Supervisor;
  readonly onSupervisorEvent?: SupervisorEventSink;
}

/** Splits and parses options: dependencies checked, data parsed with defaults. */
export function parseQueueOptions<S extends z.ZodType>(where: string, schema: S, options: QueueDependencies & object): { deps: ResolvedDependencies; settings: z.output<S> } {
  const { prisma, jobs, clock, log, supervisor, onSupervisorEvent, ...data } = options ?? ({} as QueueDependencies);
  const issues: { field: string; message: string }[] = [];
  if (!prisma || typeof prisma !== "object") issues.push({ field: "prisma", message: "must be a PrismaClient (openDatabase(config).prisma)" });
  if (!Array.isArray(jobs)) issues.push({ field: "jobs", message: "must be an array of defineJob(...) definitions" });
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = i.code === "unrecognized_keys" ? i.keys.join(", ") : i.path.map(String).join(".");
      issues.push({ field, message: i.code === "unrecognized_keys" ? "is not an option of this queue" : i.message });
    }
  }
  if (issues.length || !parsed.success) throw new JobConfigError("OPTIONS_INVALID", where, issues);
  return {
    deps: { prisma, jobs, clock: clock ?? systemClock(), log: log ?? pino({ level: "silent" }), supervisor, onSupervisorEvent },
    settings: parsed.data,
  };
}
