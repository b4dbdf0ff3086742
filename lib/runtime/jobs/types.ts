// The one job interface both backends implement, and the job as the Job table records it.
import type { Page, PageQuery } from "../../schemas/pagination";
import type { EnqueueJobOptions, JobListFilters, JobStatus } from "../../schemas/jobs";

/** A job as stored in the Job table (what the dashboard reads), whichever backend runs it. */
export interface JobView {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  readonly payload: unknown;
  /** What the handler resolved with (completed jobs; also kept when a cancelled job returned). */
  readonly result: unknown;
  /** The latest attempt's error; kept on a retried job until it completes. */
  readonly error: string | null;
  /** Attempts started so far (an attempt interrupted by a graceful shutdown does not count). */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly priority: number;
  /** Not run before this time (a delay, or a retry's backoff). */
  readonly runAt: string;
  /** The worker running it (`host:pid:instance`), or the last one that did. */
  readonly lockedBy: string | null;
  readonly heartbeatAt: string | null;
  readonly progress: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When its first attempt started. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/**
 * Background work, one interface for both backends: in-process workers on the Job table
 * (embedded) or BullMQ on Redis (scaled out). Every job is a Job row either way.
 *
 * - `enqueue` validates the payload by its kind's schema (InvalidInputError naming `payload.<field>`),
 *   records the job and hands it to a worker. Unknown kinds are refused (field "kind").
 * - `cancel` stops a job: a queued one never runs; a running one's signal aborts. A finished job
 *   is left as it is. Resolves with the job as it is afterwards; NotFoundError for an unknown id.
 * - `get` / `list` read the Job table (newest first; one page shape for every list).
 * - `start` begins working (workers, heartbeats, recovery of jobs whose worker died);
 *   `stop` is graceful: running jobs are aborted, stop at their next checkpoint and are put back
 *   in the queue (their attempt not counted) to resume after a restart. Both are idempotent.
 */
export interface JobQueue {
  readonly backend: "embedded" | "bullmq";
  /** This process's worker identity, `host:pid:instance`. */
  readonly workerId: string;
  enqueue(kind: string, payload: unknown, options?: EnqueueJobOptions): Promise<{ readonly id: string }>;
  cancel(id: string): Promise<JobView>;
  get(id: string): Promise<JobView>;
  list(filters?: JobListFilters, page?: PageQuery): Promise<Page<JobView>>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
