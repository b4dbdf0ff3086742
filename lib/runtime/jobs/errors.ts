// Typed errors of the job queue. Caller mistakes about data (a bad payload, an unknown job id,
// a bad list filter) are the store's errors (INVALID, NOT_FOUND with issues naming each field),
// so an API route maps them like any other; what is specific to jobs has one root, JobError.
import { CodedError } from "../../errors";
import { workerLostMessage, type JobAbortReason } from "../store";

export { errorText } from "../../errors";
export type { JobAbortReason } from "../store";

export type JobErrorCode =
  | "DEFINITION_INVALID"
  | "DUPLICATE_KIND"
  | "OPTIONS_INVALID"
  | "QUEUE_NOT_STARTED"
  | "JOB_ABORTED"
  | "JOB_TIMEOUT"
  | "JOB_PERMANENT"
  | "WORKER_LOST";

export class JobError extends CodedError<JobErrorCode> {}

/** A job definition or queue options refused before anything runs; each issue names its field. */
export class JobConfigError extends JobError {
  constructor(
    code: "DEFINITION_INVALID" | "DUPLICATE_KIND" | "OPTIONS_INVALID",
    readonly where: string,
    readonly issues: readonly { readonly field: string; readonly message: string }[],
  ) {
    super(code, `${where}: ${issues.map((i) => (i.field ? `${i.field} ${i.message}` : i.message)).join("; ")}`);
  }
}

const ABORT_TEXT: Record<JobAbortReason, string> = {
  cancelled: "it was cancelled",
  shutdown: "its worker is shutting down; it is re-queued and resumes after the restart",
  timeout: "it ran past its timeoutMs",
  lost: "another worker took it over (this worker missed its heartbeats)",
};

/**
 * The reason of a running job's `signal` when it aborts. A handler that checkpoints its work can
 * simply stop at its next checkpoint; `reason` says why, if it wants to tell the cases apart.
 */
export class JobAbortedError extends JobError {
  constructor(
    readonly jobId: string,
    readonly reason: JobAbortReason,
  ) {
    super("JOB_ABORTED", `job ${jobId} stopped: ${ABORT_TEXT[reason]}`);
  }
}

/** Why a job's attempt ran out of time (the attempt counts as failed, and is retried if attempts remain). */
export class JobTimeoutError extends JobError {
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super("JOB_TIMEOUT", `job ${jobId} timed out after ${timeoutMs} ms (timeoutMs of its definition); the attempt was aborted`);
  }
}

/**
 * Thrown by a handler for a failure that another attempt would not fix (a missing row, a bad
 * setting): the job fails at once instead of being retried.
 */
export class PermanentJobError extends JobError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("JOB_PERMANENT", message, options);
  }
}

/** Recorded when a job's worker died (kill -9, a lost machine) as often as its maxAttempts allows. */
export class WorkerLostError extends JobError {
  constructor(
    readonly jobId: string,
    readonly lockedBy: string,
    readonly attempts: number,
  ) {
    super("WORKER_LOST", workerLostMessage(jobId, lockedBy, attempts));
  }
}

/** The abort reason of a job signal, when it is one of ours. */
export function abortReasonOf(signal: AbortSignal): JobAbortReason | undefined {
  return signal.aborted && signal.reason instanceof JobAbortedError ? signal.reason.reason : undefined;
}
