// The data a supervisor works with: child handles, exit reasons, snapshots and events.
import type { z } from "zod";
import type { SupervisorChildSchema } from "../../schemas";
import type { Clock } from "../clock";
import type { ChildSpecInput } from "./spec";

/** One `supervisor:child` event: every state change of every child, as plain data. */
export type SupervisorChildEvent = z.infer<typeof SupervisorChildSchema>;
export type ChildState = SupervisorChildEvent["state"];
export type SupervisorEventSink = (event: SupervisorChildEvent) => void;

/** How a child ended on its own. `exit` promises resolve with one of these and never reject. */
export type ExitReason = { readonly kind: "normal" } | { readonly kind: "shutdown" } | { readonly kind: "error"; readonly error: unknown };

/** Why a supervisor asks a child to stop: its own shutdown, a sibling-triggered restart, or terminateChild. */
export type StopReason = "shutdown" | "restart" | "terminate";

/** A running child, as its supervisor sees it. */
export interface ChildHandle {
  /**
   * Graceful stop; the supervisor waits `shutdownMs` for it, then abandons the child. Workers
   * resolve with nothing; a nested supervisor resolves with its ShutdownReport.
   */
  stop(reason: StopReason): Promise<void | ShutdownReport>;
  /** Settles when the child ends on its own. A rejection is read as `{ kind: "error" }`. */
  readonly exit: Promise<ExitReason>;
  /** Optional hook: a nested supervisor exposes its subtree here for `snapshot()`. */
  snapshot?(): SupervisorSnapshot;
}

/** What a supervisor hands to a child's `start`; plain `() => …` start functions may ignore it. */
export interface ChildContext {
  /** The child's own path, e.g. "root/jobs" for child "jobs" of "root". */
  readonly path: string;
  readonly id: string;
  readonly clock: Clock;
  readonly onEvent?: SupervisorEventSink;
  readonly random: () => number;
}

export type StartFn = (ctx: ChildContext) => Promise<ChildHandle>;

export interface ChildSnapshot {
  readonly id: string;
  readonly type: "worker" | "supervisor";
  readonly restart: "permanent" | "transient" | "temporary";
  readonly state: ChildState;
  readonly restarts: number;
  readonly lastError: string | null;
  /** ISO time of the latest successful start, null before the first. */
  readonly startedAt: string | null;
  /** The subtree, for a running child whose handle exposes `snapshot()` (nested supervisors). */
  readonly supervisor?: SupervisorSnapshot;
}

export type SupervisorStatus = "starting" | "running" | "stopping" | "stopped" | "failed";

export interface SupervisorSnapshot {
  readonly path: string;
  readonly strategy: "one_for_one" | "one_for_all" | "rest_for_one";
  readonly intensity: number;
  readonly periodMs: number;
  readonly state: SupervisorStatus;
  /** Restarts counted in the current sliding period (the supervisor gives up above `intensity`). */
  readonly restartsInPeriod: number;
  readonly children: readonly ChildSnapshot[];
}

export interface AbandonedChild {
  /** Path of the supervisor that abandoned it. */
  readonly supervisor: string;
  readonly child: string;
  readonly shutdownMs: number;
}

/** What a shutdown left behind: children that ignored stop() past their `shutdownMs` (nested ones included). */
export interface ShutdownReport {
  readonly abandoned: readonly AbandonedChild[];
}

/**
 * A running supervisor. It is itself a ChildHandle, so supervisors nest: a parent stops it like
 * any child and reads its `exit` (an error when its restart intensity was exceeded).
 * Calls are processed one at a time, in order, like messages to an Erlang supervisor.
 */
export interface Supervisor extends ChildHandle {
  readonly path: string;
  /** The whole subtree as plain data. */
  snapshot(): SupervisorSnapshot;
  /** Adds a child at the end of the start order and starts it; rejects (and keeps nothing) if its start fails. */
  startChild(spec: ChildSpecInput): Promise<ChildSnapshot>;
  /** Stops a child and keeps its spec (state "stopped"); a temporary child's spec is dropped. */
  terminateChild(id: string): Promise<ShutdownReport>;
  /** Starts again a child that is "stopped" or "failed". */
  restartChild(id: string): Promise<ChildSnapshot>;
  /** Forgets the spec of a child that is "stopped" or "failed". */
  deleteChild(id: string): Promise<void>;
  /** Stops every child in reverse start order; safe to call more than once. */
  stop(reason?: StopReason): Promise<ShutdownReport>;
}
