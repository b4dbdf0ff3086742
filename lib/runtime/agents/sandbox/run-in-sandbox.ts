// runInSandbox: untrusted JavaScript in a fresh QuickJS-WASM runtime with time, heap and stack
// limits, run in one of the sandbox pool's worker threads (the host's event loop stays free, and
// a run that overstays its limit is stopped by killing its worker). The guest sees the language's
// built-ins plus `console` (captured) and `input`; it has no file system, network, process,
// timers, modules or host objects. Never throws for guest faults.
import { SandboxOptionsError } from "./errors";
import { isAborted, sandboxPool } from "./pool";
import { DEFAULT_LIMITS, type SessionLimits } from "./session";
import type { SandboxOptions, SandboxResult } from "./types";

/** QuickJS's stack check must stay well inside the WebAssembly stack (about 512 KiB) or the engine aborts. */
export const MAX_STACK_BYTES = 384 * 1024;

function stackBytes(v: number | undefined): number {
  if (v === undefined) return DEFAULT_LIMITS.stackBytes;
  if (!Number.isFinite(v) || v < 16 * 1024 || v > MAX_STACK_BYTES) throw new SandboxOptionsError("stackBytes", `sandbox: stackBytes must be between 16384 and ${MAX_STACK_BYTES}, got ${String(v)}`);
  return v;
}

/** The run's limits; memoryBytes is clamped to the pool's maximum (a huge request must never reach the engine). */
export function limitsOf(options: SandboxOptions, maxMemoryBytes: number): SessionLimits {
  const positive = (v: number | undefined, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v <= 0) throw new SandboxOptionsError(name, `sandbox: ${name} must be a positive number, got ${String(v)}; e.g. { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024 }`);
    return v;
  };
  return {
    timeoutMs: positive(options.timeoutMs, "timeoutMs", DEFAULT_LIMITS.timeoutMs),
    memoryBytes: Math.min(maxMemoryBytes, Math.floor(positive(options.memoryBytes, "memoryBytes", DEFAULT_LIMITS.memoryBytes))),
    stackBytes: Math.floor(stackBytes(options.stackBytes)),
    maxLogChars: Math.floor(positive(options.maxLogChars, "maxLogChars", DEFAULT_LIMITS.maxLogChars)),
    maxOutputBytes: Math.floor(positive(options.maxOutputBytes, "maxOutputBytes", DEFAULT_LIMITS.maxOutputBytes)),
  };
}

/** `input` must cross to the worker thread; JSON is what the guest gets anyway. */
function jsonInput(input: unknown): unknown {
  if (input === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(input) ?? "null") as unknown;
  } catch (err) {
    throw new SandboxOptionsError("input", `sandbox: input must be JSON-serialisable: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Runs `code` as a script; its value is the completion value (the last expression statement) or,
 * when that is a promise, what it settles to. `input` becomes the global `input`.
 * Limits: timeoutMs (default 1000; hard: the run is killed at timeoutMs plus a small grace),
 * memoryBytes (default 32 MiB, clamped to the pool's maxMemoryBytes), stackBytes (default 256 KiB,
 * at most 384 KiB), maxOutputBytes (default 1 MiB: a larger result fails with kind "output").
 */
export async function runInSandbox(code: string, options: SandboxOptions = {}): Promise<SandboxResult> {
  const pool = sandboxPool();
  const limits = limitsOf(options, pool.maxMemoryBytes);
  const input = jsonInput(options.input);
  const run = await pool.run({ type: "script", code: String(code), filename: "sandbox.js", ...(input !== undefined && { input }), limits });
  if (isAborted(run)) return { ok: false, error: run.aborted, logs: [], durationMs: run.durationMs };
  const { evaluation, logs, durationMs } = run;
  return evaluation.ok ? { ok: true, value: evaluation.value, logs, durationMs } : { ok: false, error: evaluation.error, logs, durationMs };
}
