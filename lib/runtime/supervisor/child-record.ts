// One child as its supervisor tracks it, and the mechanics of starting and stopping a handle.
import type { Clock } from "../clock";
import type { ChildSpec } from "./spec";
import type { ChildContext, ChildHandle, ChildSnapshot, ChildState, ShutdownReport, StopReason } from "./types";

export interface ChildRecord {
  readonly spec: ChildSpec;
  readonly ctx: ChildContext;
  state: ChildState;
  /** Present while the child runs. */
  handle: ChildHandle | undefined;
  /** Incarnation counter: an exit from an older incarnation (or a stopped one) is ignored. */
  gen: number;
  /** Restart-group token while waiting to be restarted; 0 otherwise. */
  pending: number;
  restarts: number;
  lastError: string | null;
  startedAt: number | null;
}

export function newRecord(spec: ChildSpec, ctx: ChildContext): ChildRecord {
  return { spec, ctx, state: "stopped", handle: undefined, gen: 0, pending: 0, restarts: 0, lastError: null, startedAt: null };
}

export function isChildHandle(value: unknown): value is ChildHandle {
  if (value === null || typeof value !== "object") return false;
  const v = value as { stop?: unknown; exit?: { then?: unknown } | null };
  return typeof v.stop === "function" && typeof v.exit?.then === "function";
}

/** Calls `start`, turning a synchronous throw, a rejection or a malformed handle into `{ error }`. */
export async function startHandle(record: ChildRecord): Promise<{ handle: ChildHandle } | { error: unknown }> {
  let handle: unknown;
  try {
    handle = await record.spec.start(record.ctx);
  } catch (error) {
    return { error };
  }
  if (!isChildHandle(handle)) {
    return { error: new TypeError(`start resolved to ${typeof handle}, not a ChildHandle { stop(reason), exit }; wrap the code with task() or service()`) };
  }
  return { handle };
}

export type StopOutcome = { readonly kind: "stopped"; readonly report?: ShutdownReport } | { readonly kind: "failed"; readonly error: unknown } | { readonly kind: "abandoned" };

function isReport(value: unknown): value is ShutdownReport {
  return value !== null && typeof value === "object" && Array.isArray((value as { abandoned?: unknown }).abandoned);
}

/** Asks a handle to stop and waits up to `shutdownMs` (Infinity: forever) before abandoning it. */
export function stopHandle(handle: ChildHandle, reason: StopReason, shutdownMs: number, clock: Clock): Promise<StopOutcome> {
  const stopping = new Promise<unknown>((resolve) => resolve(handle.stop(reason))).then(
    (result): StopOutcome => (isReport(result) ? { kind: "stopped", report: result } : { kind: "stopped" }),
    (error: unknown): StopOutcome => ({ kind: "failed", error }),
  );
  if (shutdownMs === Number.POSITIVE_INFINITY) return stopping;
  return new Promise<StopOutcome>((resolve) => {
    const timer = clock.setTimeout(() => resolve({ kind: "abandoned" }), shutdownMs);
    void stopping.then((outcome) => {
      clock.clearTimeout(timer);
      resolve(outcome);
    });
  });
}

export function childSnapshot(record: ChildRecord): ChildSnapshot {
  const { spec } = record;
  const nested = record.handle?.snapshot?.();
  return {
    id: spec.id,
    type: spec.type,
    restart: spec.restart,
    state: record.state,
    restarts: record.restarts,
    lastError: record.lastError,
    startedAt: record.startedAt === null ? null : new Date(record.startedAt).toISOString(),
    ...(nested ? { supervisor: nested } : {}),
  };
}
