// The sandbox's data: options, results and test reports. Failures are data (`ok: false` with a
// kind), never exceptions: untrusted code can only ever produce one of these values.

/**
 * Why a run failed. `memory` covers the memory limit and QuickJS's string/array size bounds;
 * `output` a result larger than maxOutputBytes (or nested too deep to copy out).
 */
export type SandboxErrorKind = "timeout" | "memory" | "syntax" | "runtime" | "output";

export interface SandboxError {
  readonly kind: SandboxErrorKind;
  /** e.g. "TypeError: x is not a function", "stack overflow", "timed out after 1000 ms". */
  readonly message: string;
  /** The guest's stack, at most a few frames. */
  readonly stack?: string;
}

export interface SandboxOptions {
  /**
   * Wall-clock limit for the whole run (default 1000), enforced by QuickJS's interrupt handler and,
   * as a hard limit, by the pool, which kills the run's worker thread at this plus a small grace.
   */
  readonly timeoutMs?: number;
  /** Heap limit of the run's QuickJS runtime (default 32 MiB), clamped to the pool's maxMemoryBytes. */
  readonly memoryBytes?: number;
  /** Native stack limit of the run's QuickJS runtime (default 256 KiB; at most 384 KiB). */
  readonly stackBytes?: number;
  /** JSON-serialisable value exposed to the code as the global `input`. */
  readonly input?: unknown;
  /** At most this many characters of console output are kept (default 16,384). */
  readonly maxLogChars?: number;
  /** A result larger than this (bytes of its JSON, roughly) fails with kind "output" (default 1 MiB). */
  readonly maxOutputBytes?: number;
}

export interface SandboxLog {
  readonly level: "log" | "info" | "warn" | "error" | "debug";
  readonly text: string;
}

interface SandboxRunBase {
  /** Console output captured in the guest, in order (cut at maxLogChars). */
  readonly logs: readonly SandboxLog[];
  /** Time spent creating the runtime, running the code and disposing it. */
  readonly durationMs: number;
}

/**
 * The completion value of the script (its last expression statement, a settled promise's value),
 * copied out as JSON (`undefined` when it has none).
 */
export type SandboxResult = (SandboxRunBase & { readonly ok: true; readonly value: unknown }) | (SandboxRunBase & { readonly ok: false; readonly error: SandboxError });

/**
 * One hidden or visible test: a snippet run after the code under test, in the same fresh context.
 * It passes when it finishes without throwing. It may call `assert(condition, message?)` and
 * `assertEqual(actual, expected, message?)` (deep equality of JSON values, checked on the host).
 */
export interface SandboxTest {
  readonly name: string;
  readonly code: string;
}

export interface TestOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed: the assertion message or the error, prefixed by its kind when not "runtime". */
  readonly error?: string;
  readonly durationMs: number;
}

export interface TestReport {
  readonly passed: number;
  readonly failed: number;
  readonly total: number;
  /** True when every test passed (and there was at least one). */
  readonly allPassed: boolean;
  /** Set when the code under test itself failed to load (syntax error, throws, loops forever). */
  readonly loadError?: SandboxError;
  readonly results: readonly TestOutcome[];
  readonly logs: readonly SandboxLog[];
  readonly durationMs: number;
}
