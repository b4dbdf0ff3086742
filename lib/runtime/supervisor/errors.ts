// Typed errors of the actor system. One root (`ActorSystemError`) with a string-literal `code`;
// each subclass carries the structured fields a caller or a dashboard needs, and its message names
// the supervisor, the child, the value at fault and the fix.
import { CodedError } from "../../errors";

export type ActorSystemErrorCode =
  | "SPEC_INVALID"
  | "FLAGS_INVALID"
  | "DUPLICATE_CHILD_ID"
  | "CHILD_NOT_FOUND"
  | "CHILD_RUNNING"
  | "CHILD_START_FAILED"
  | "SUPERVISOR_NOT_RUNNING"
  | "INTENSITY_EXCEEDED"
  | "SHUTDOWN_TIMEOUT"
  | "STOP_FAILED";

export class ActorSystemError extends CodedError<ActorSystemErrorCode> {}

/** Every error a supervisor raises or reports; `supervisor` is its path, e.g. "root/jobs". */
export class SupervisorError extends ActorSystemError {
  constructor(
    code: ActorSystemErrorCode,
    readonly supervisor: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `Supervisor "${supervisor}": ${message}`, options);
  }
}

export interface ConfigIssue {
  /** Where the problem is, e.g. `children[1].restart` or `flags.intensity`. */
  readonly path: string;
  readonly message: string;
}

/** Flags or child specs refused before anything starts (a typo, a bad value, a duplicate id). */
export class SupervisorConfigError extends SupervisorError {
  constructor(
    code: "SPEC_INVALID" | "FLAGS_INVALID" | "DUPLICATE_CHILD_ID",
    supervisor: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(code, supervisor, issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  }
}

/** `terminateChild`, `restartChild` or `deleteChild` named an id the supervisor does not have. */
export class ChildNotFoundError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly childId: string,
    readonly known: readonly string[],
  ) {
    super("CHILD_NOT_FOUND", supervisor, `no child "${childId}"; children are ${known.length ? known.map((k) => `"${k}"`).join(", ") : "(none)"}`);
  }
}

/** An operation that needs the child stopped (or running) found it in another state. */
export class ChildStateError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly childId: string,
    readonly state: string,
    fix: string,
  ) {
    super("CHILD_RUNNING", supervisor, `child "${childId}" is ${state}; ${fix}`);
  }
}

/** A child's `start` threw or rejected; `cause` is what it threw. */
export class ChildStartError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly childId: string,
    cause: unknown,
    context = "",
  ) {
    super("CHILD_START_FAILED", supervisor, `child "${childId}" failed to start${context}: ${describeError(cause)}`, { cause });
  }
}

/** A call on a supervisor that has stopped, failed, or is stopping. */
export class SupervisorNotRunningError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly state: string,
    operation: string,
  ) {
    super("SUPERVISOR_NOT_RUNNING", supervisor, `cannot ${operation}: the supervisor is ${state}; start a new one with startSupervisor()`);
  }
}

/** More restarts than `intensity` within `periodMs`: the supervisor stopped its children and gave up. */
export class RestartIntensityError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly intensity: number,
    readonly periodMs: number,
    readonly childId: string,
    cause: unknown,
  ) {
    super(
      "INTENSITY_EXCEEDED",
      supervisor,
      `more than ${intensity} restart(s) within ${periodMs} ms (last: child "${childId}": ${describeError(cause)}); ` +
        "stopped every child and escalated to the parent; raise flags.intensity/periodMs or fix the crashing child",
      { cause },
    );
  }
}

/** A child did not finish `stop()` within its `shutdownMs`; it was abandoned. */
export class ShutdownTimeoutError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly childId: string,
    readonly shutdownMs: number,
  ) {
    super("SHUTDOWN_TIMEOUT", supervisor, `child "${childId}" did not stop within ${shutdownMs} ms and was abandoned; make it honour stop()/the AbortSignal or raise its shutdownMs`);
  }
}

/** A child's `stop()` threw or rejected. */
export class ChildStopError extends SupervisorError {
  constructor(
    supervisor: string,
    readonly childId: string,
    cause: unknown,
  ) {
    super("STOP_FAILED", supervisor, `child "${childId}" failed to stop: ${describeError(cause)}`, { cause });
  }
}

/** One line for a thrown value of any type (errors keep their class name). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
