// Messages between the host (pool.ts) and a sandbox worker (worker.ts), and the layout of the
// small shared status block through which the host sees a worker's state even while the worker
// is stuck inside a QuickJS built-in (its event loop cannot answer then).
import type { ScriptRun, TestRun } from "./engine";
import type { SessionLimits } from "./session";

export type Job =
  | { readonly type: "script"; readonly code: string; readonly filename: string; readonly input?: unknown; readonly limits: SessionLimits; readonly discard?: boolean }
  | { readonly type: "test"; readonly code: string; readonly test: { readonly name: string; readonly code: string }; readonly limits: SessionLimits };

export type JobResult<J extends Job> = J extends { type: "script" } ? ScriptRun : TestRun;

export interface JobRequest {
  readonly id: number;
  readonly job: Job;
}

export type WorkerMessage =
  | { readonly type: "ready"; readonly loadMs: number }
  | { readonly type: "done"; readonly id: number; readonly result: ScriptRun | TestRun; readonly wasmBytes: number }
  | { readonly type: "failed"; readonly id: number; readonly message: string };

export interface WorkerData {
  readonly status: SharedArrayBuffer;
}

/** Int32 slots of the status block. */
export const STATUS = {
  /** The id of the job the worker is running (0 when idle). */
  job: 0,
  /** Set (to the job's id) once the worker has its result and is about to post it. */
  finished: 1,
} as const;
/** Float64 slot (after the Int32 slots) with the job's start, in the worker's performance.timeOrigin + now() ms. */
export const STATUS_STARTED_AT = 2; // index in a Float64Array over the same buffer (bytes 16..24)
export const STATUS_BYTES = 24;
