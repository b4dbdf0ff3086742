// The sandbox pool: guest code runs in a few worker threads, never on the host's event loop.
// Each worker loads QuickJS once and runs one job at a time. The host enforces a hard wall-clock
// deadline per job (the run's timeoutMs plus a grace): QuickJS checks its own deadline only
// between bytecode instructions, so a run stuck inside a built-in (a memory bomb retrying its
// allocations) would otherwise overrun; at the hard deadline the host terminates the worker,
// answers "timeout" and starts a replacement. Worker heaps are capped with resourceLimits, and a
// worker that dies of it answers "memory". Workers are unref'd while idle: an idle pool never
// keeps a process alive.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { ScriptRun, TestRun } from "./engine";
import { STATUS, STATUS_BYTES, STATUS_STARTED_AT, type Job, type JobRequest, type JobResult, type WorkerData, type WorkerMessage } from "./protocol";
import type { SandboxError } from "./types";

export interface SandboxPoolOptions {
  /** Worker threads (default min(2, os.availableParallelism())). */
  readonly size?: number;
  /** Added to a run's timeoutMs to make the hard deadline (default 50 ms). */
  readonly graceMs?: number;
  /** Heap limits of each worker thread (default 256 MiB old generation, 32 MiB young, 4 MiB stack). */
  readonly resourceLimits?: ResourceLimits;
  /** The most a run's memoryBytes may be (default 256 MiB): larger requests are clamped to it. */
  readonly maxMemoryBytes?: number;
}

/** QuickJS's heap lives in 32-bit WebAssembly memory: limits near or above 4 GiB overflow and abort the engine. */
export const DEFAULT_MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const HARD_MAX_MEMORY_BYTES = 2048 * 1024 * 1024;

const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
/** Consecutive workers that die before becoming ready, after which queued runs are refused. */
const MAX_START_FAILURES = 3;
// From the sources a worker needs a TypeScript loader (worker-entry.mjs registers tsx); the compiled
// server (dist/) starts the compiled worker directly. (A path, not a URL literal: bundlers would
// look for worker.js among the sources.)
const ENTRY = import.meta.url.endsWith(".ts") ? new URL("./worker-entry.mjs", import.meta.url) : path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.js");

/** The answer of a job the worker could not finish: stopped at the deadline, or the worker died. */
export type Aborted = { readonly aborted: SandboxError; readonly durationMs: number };

interface Pending {
  readonly id: number;
  readonly job: Job;
  readonly resolve: (result: ScriptRun | TestRun | Aborted) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly flags: Int32Array;
  readonly startedAt: Float64Array;
  ready: boolean;
  running?: { pending: Pending; timer?: NodeJS.Timeout; dispatchedAt: number };
  wasmBytes: number;
  /** Set once the pool ended this worker on purpose (deadline, close). */
  ending: boolean;
}

export interface SandboxPoolStats {
  readonly size: number;
  readonly ready: number;
  readonly busy: number;
  readonly queued: number;
  /** Workers started so far (the first `size`, then replacements). */
  readonly started: number;
  /** Workers ended at a hard deadline. */
  readonly terminated: number;
  /** Workers that died (out of heap, crash). */
  readonly crashed: number;
  /** Largest WebAssembly memory among live workers at their last run, bytes. */
  readonly wasmBytes: number;
  /** Time from starting a worker to its QuickJS being loaded, ms (the last few). */
  readonly coldStartsMs: readonly number[];
}

class SandboxPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private startFailures = 0;
  /** Set after MAX_START_FAILURES: no more replacements until the next run asks for workers. */
  private broken = false;
  private counts = { started: 0, terminated: 0, crashed: 0 };
  private readonly coldStartsMs: number[] = [];
  private closed = false;
  readonly size: number;
  readonly graceMs: number;
  readonly maxMemoryBytes: number;
  private readonly resourceLimits: ResourceLimits;

  constructor(options: SandboxPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? Math.min(2, os.availableParallelism())));
    this.graceMs = Math.max(0, options.graceMs ?? 50);
    this.maxMemoryBytes = Math.min(HARD_MAX_MEMORY_BYTES, Math.max(1024 * 1024, Math.floor(options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES)));
    this.resourceLimits = { ...DEFAULT_RESOURCE_LIMITS, ...options.resourceLimits };
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  run<J extends Job>(job: J): Promise<JobResult<J> | Aborted> {
    if (this.closed) return Promise.reject(new Error("sandbox: the pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as Pending["resolve"], reject });
      this.pump();
    });
  }

  stats(): SandboxPoolStats {
    const live = [...this.slots];
    return {
      size: this.size,
      ready: live.filter((s) => s.ready).length,
      busy: live.filter((s) => s.running).length,
      queued: this.queue.length,
      ...this.counts,
      wasmBytes: Math.max(0, ...live.map((s) => s.wasmBytes)),
      coldStartsMs: [...this.coldStartsMs],
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new Error("sandbox: the pool was closed");
    for (const p of this.queue.splice(0)) p.reject(error);
    await Promise.all(
      [...this.slots].map((slot) => {
        slot.ending = true;
        if (slot.running) {
          clearTimeout(slot.running.timer);
          slot.running.pending.reject(error);
          slot.running = undefined;
        }
        this.slots.delete(slot);
        return slot.worker.terminate();
      }),
    );
  }

  private spawn(): void {
    const status = new SharedArrayBuffer(STATUS_BYTES);
    const startedAt = performance.now();
    const worker = new Worker(ENTRY, { workerData: { status } satisfies WorkerData, execArgv: [], resourceLimits: this.resourceLimits, stdout: false, stderr: false });
    worker.unref();
    const slot: Slot = { worker, flags: new Int32Array(status, 0, 2), startedAt: new Float64Array(status, 0, 3), ready: false, wasmBytes: 0, ending: false };
    this.slots.add(slot);
    this.counts.started++;
    worker.on("message", (message: WorkerMessage) => this.onMessage(slot, message, startedAt));
    worker.on("error", (err: Error & { code?: string }) => this.onDeath(slot, err));
    worker.on("exit", (code) => this.onDeath(slot, new Error(`the sandbox worker exited with code ${code}`)));
  }

  private onMessage(slot: Slot, message: WorkerMessage, spawnedAt: number): void {
    if (message.type === "ready") {
      slot.ready = true;
      this.startFailures = 0;
      this.broken = false;
      this.coldStartsMs.push(performance.now() - spawnedAt);
      if (this.coldStartsMs.length > 16) this.coldStartsMs.shift();
      this.pump();
      return;
    }
    const running = slot.running;
    if (!running || running.pending.id !== message.id) return;
    clearTimeout(running.timer);
    slot.running = undefined;
    slot.worker.unref();
    if (message.type === "done") {
      slot.wasmBytes = message.wasmBytes;
      running.pending.resolve(message.result);
    } else running.pending.resolve({ aborted: { kind: "runtime", message: `the sandbox worker failed: ${message.message}` }, durationMs: performance.now() - running.dispatchedAt });
    this.pump();
  }

  /** The worker is gone (terminated by us, out of heap, crashed): answer its job and replace it. */
  private onDeath(slot: Slot, err: Error & { code?: string }): void {
    if (!this.slots.delete(slot)) return; // already handled (error then exit)
    const running = slot.running;
    slot.running = undefined;
    if (running) {
      clearTimeout(running.timer);
      const outOfMemory = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      const error: SandboxError = outOfMemory
        ? { kind: "memory", message: `out of memory: the sandbox worker ran out of its heap (${this.resourceLimits.maxOldGenerationSizeMb} MiB) and was replaced` }
        : { kind: "runtime", message: `the sandbox worker died and was replaced: ${err.message}` };
      running.pending.resolve({ aborted: error, durationMs: performance.now() - running.dispatchedAt });
    }
    if (!slot.ending) {
      this.counts.crashed++;
      if (!slot.ready && ++this.startFailures >= MAX_START_FAILURES) {
        const failure = new Error(`sandbox: ${MAX_START_FAILURES} workers in a row failed to start; last error: ${err.message}`);
        for (const p of this.queue.splice(0)) p.reject(failure);
        this.startFailures = 0;
        this.broken = true;
      }
    }
    if (!this.closed && !this.broken) this.spawn();
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    if (this.slots.size === 0 && this.queue.length > 0) {
      // Every worker failed to start (broken): try again for these runs.
      this.broken = false;
      for (let i = 0; i < this.size; i++) this.spawn();
    }
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.running || slot.ending) continue;
      const pending = this.queue.shift()!;
      slot.running = { pending, dispatchedAt: performance.now() };
      slot.worker.ref();
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies JobRequest);
      this.arm(slot, pending, pending.job.limits.timeoutMs + this.graceMs);
    }
  }

  /** At the hard deadline: kill the worker unless its result is already on the way. */
  private arm(slot: Slot, pending: Pending, delayMs: number): void {
    const running = slot.running!;
    running.timer = setTimeout(() => {
      if (slot.running?.pending !== pending) return;
      if (Atomics.load(slot.flags, STATUS.finished) === pending.id) return this.arm(slot, pending, 1_000); // posted; the message is queued behind us
      // Deadline counted from the worker's own start of the job (the host may have been busy).
      const workerStarted = Atomics.load(slot.flags, STATUS.job) === pending.id ? slot.startedAt[STATUS_STARTED_AT]! : undefined;
      const left = workerStarted === undefined ? 0 : workerStarted + pending.job.limits.timeoutMs + this.graceMs - (performance.timeOrigin + performance.now());
      if (left > 1) return this.arm(slot, pending, left);
      this.kill(slot);
    }, delayMs);
  }

  private kill(slot: Slot): void {
    const running = slot.running!;
    slot.running = undefined;
    slot.ending = true;
    this.counts.terminated++;
    const { timeoutMs } = running.pending.job.limits;
    running.pending.resolve({ aborted: { kind: "timeout", message: `timed out after ${timeoutMs} ms (stopped at the hard deadline inside a long built-in call, often a memory bomb; its worker was replaced)` }, durationMs: performance.now() - running.dispatchedAt });
    void slot.worker.terminate();
    // The exit event replaces the worker (onDeath); until then the slot is no longer counted as usable.
  }
}

let pool: SandboxPool | undefined;
let options: SandboxPoolOptions = {};

/** The shared pool, started on first use. */
export function sandboxPool(): SandboxPool {
  pool ??= new SandboxPool(options);
  return pool;
}

/** Sets the pool's options; a running pool is closed and the next run starts one with them. */
export async function configureSandboxPool(next: SandboxPoolOptions): Promise<void> {
  options = { ...next };
  await closeSandboxPool();
}

/** Terminates the workers (runs in flight are rejected); the next run starts a new pool. */
export async function closeSandboxPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.close();
}

/** The pool's counters (starts a pool when none is running). */
export function sandboxPoolStats(): SandboxPoolStats {
  return sandboxPool().stats();
}

/** Bytes of WebAssembly linear memory of the largest live worker's QuickJS module, as of its last run (it grows to the largest heap used, never shrinks). */
export async function sandboxWasmBytes(): Promise<number> {
  return Promise.resolve(sandboxPool().stats().wasmBytes);
}

export function isAborted(result: ScriptRun | TestRun | Aborted): result is Aborted {
  return "aborted" in result;
}
