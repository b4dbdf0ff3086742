// runInSandbox: untrusted JavaScript in a fresh QuickJS-WASM runtime with time, heap and stack
// limits. The guest sees the language's built-ins plus `console` (captured) and `input`; it has no
// file system, network, process, timers, modules or host objects. Never throws for guest faults.
import { SandboxOptionsError } from "./errors";
import { discardQuickJS, loadQuickJS } from "./quickjs";
import { DEFAULT_LIMITS, withSession, type Evaluation, type SessionLimits } from "./session";
import type { SandboxLog, SandboxOptions, SandboxResult } from "./types";

/** QuickJS's stack check must stay well inside the WebAssembly stack (about 512 KiB) or the engine aborts. */
export const MAX_STACK_BYTES = 384 * 1024;

function stackBytes(v: number | undefined): number {
  if (v === undefined) return DEFAULT_LIMITS.stackBytes;
  if (!Number.isFinite(v) || v < 16 * 1024 || v > MAX_STACK_BYTES) throw new SandboxOptionsError("stackBytes", `sandbox: stackBytes must be between 16384 and ${MAX_STACK_BYTES}, got ${String(v)}`);
  return v;
}

export function limitsOf(options: SandboxOptions): SessionLimits {
  const positive = (v: number | undefined, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v <= 0) throw new SandboxOptionsError(name, `sandbox: ${name} must be a positive number, got ${String(v)}; e.g. { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024 }`);
    return v;
  };
  return {
    timeoutMs: positive(options.timeoutMs, "timeoutMs", DEFAULT_LIMITS.timeoutMs),
    memoryBytes: Math.floor(positive(options.memoryBytes, "memoryBytes", DEFAULT_LIMITS.memoryBytes)),
    stackBytes: Math.floor(stackBytes(options.stackBytes)),
    maxLogChars: Math.floor(positive(options.maxLogChars, "maxLogChars", DEFAULT_LIMITS.maxLogChars)),
  };
}

/**
 * Runs `code` as a script; its value is the completion value (the last expression statement) or,
 * when that is a promise, what it settles to. `input` becomes the global `input`.
 * Limits: timeoutMs (default 1000), memoryBytes (default 32 MiB), stackBytes (default 256 KiB, at most 384 KiB).
 */
export async function runInSandbox(code: string, options: SandboxOptions = {}): Promise<SandboxResult> {
  const limits = limitsOf(options);
  const quickjs = await loadQuickJS();
  const started = performance.now();
  let run: { evaluation: Evaluation; logs: readonly SandboxLog[] };
  try {
    run = withSession(quickjs, limits, (session) => {
      if (options.input !== undefined) session.setGlobalJson("input", options.input);
      return { evaluation: session.evaluate(code, "sandbox.js"), logs: session.logs };
    });
  } catch (err) {
    discardQuickJS(quickjs);
    run = { evaluation: { ok: false, error: { kind: "runtime", message: `the sandbox engine failed and was reset: ${err instanceof Error ? err.message : String(err)}` } }, logs: [] };
  }
  const { evaluation, logs } = run;
  const durationMs = performance.now() - started;
  return evaluation.ok ? { ok: true, value: evaluation.value, logs, durationMs } : { ok: false, error: evaluation.error, logs, durationMs };
}
