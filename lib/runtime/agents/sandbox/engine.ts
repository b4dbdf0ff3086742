// The in-thread engine: one sandboxed session (a fresh QuickJS runtime and context) per call,
// run synchronously in the calling thread. Only the pool's worker threads call it (worker.ts);
// the host never runs guest code on its own event loop. A session blocks its thread for at most
// its time limit, except inside a long built-in (QuickJS checks the deadline between bytecode
// instructions only), which is why the host also enforces a hard deadline by killing the worker.
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten";
import { deepEqual, preview } from "./marshal";
import { discardQuickJS } from "./quickjs";
import { withSession, type Evaluation, type Session, type SessionLimits } from "./session";
import type { SandboxError, SandboxLog } from "./types";

export interface ScriptRun {
  readonly evaluation: Evaluation;
  readonly logs: readonly SandboxLog[];
  readonly durationMs: number;
}

export interface TestRun {
  /** Why the test failed (the assertion message or the error, prefixed by its kind unless "runtime"). */
  readonly error?: string;
  readonly logs: readonly SandboxLog[];
  readonly durationMs: number;
}

function engineFailure(quickjs: QuickJSWASMModule, err: unknown): SandboxError {
  // The module aborted (a QuickJS assertion): never reuse it; the next session loads a fresh one.
  discardQuickJS(quickjs);
  return { kind: "runtime", message: `the sandbox engine failed and was reset: ${err instanceof Error ? err.message : String(err)}` };
}

/** A failure as test text: the message, prefixed by its kind unless it is a runtime error. */
export function describeError(error: SandboxError): string {
  return error.kind === "runtime" ? error.message : `${error.kind}: ${error.message}`;
}

/** Runs a script in a fresh session; `input` (when given) becomes the global `input`; with `discard` its value is not copied out. */
export function runScript(quickjs: QuickJSWASMModule, limits: SessionLimits, code: string, filename: string, input?: unknown, discard = false): ScriptRun {
  const started = performance.now();
  let run: { evaluation: Evaluation; logs: readonly SandboxLog[] };
  try {
    run = withSession(quickjs, limits, (session) => {
      if (input !== undefined) session.setGlobalJson("input", input);
      return { evaluation: session.evaluate(code, filename, { discard }), logs: session.logs };
    });
  } catch (err) {
    run = { evaluation: { ok: false, error: engineFailure(quickjs, err) }, logs: [] };
  }
  return { ...run, durationMs: performance.now() - started };
}

function assertionError(vm: QuickJSContext, message: string): { error: QuickJSHandle } {
  return { error: vm.newError({ name: "AssertionError", message }) };
}

const MAX_MESSAGE_CHARS = 1000;

/**
 * Defines assert and assertEqual as non-configurable globals (host functions). Both read the
 * guest's values on the host (GuestReader), never through the guest's JSON or prototypes.
 */
function installAssertions(session: Session, maxBytes: number): string | undefined {
  const { vm, reader } = session;
  const note = (message?: QuickJSHandle) => (message && vm.typeof(message) !== "undefined" ? reader.text(message, MAX_MESSAGE_CHARS) : undefined);
  const assert = vm.newFunction("assert", (condition?: QuickJSHandle, message?: QuickJSHandle) => {
    if (condition && reader.truthy(condition)) return undefined;
    return assertionError(vm, note(message) ?? "assertion failed");
  });
  const assertEqual = vm.newFunction("assertEqual", (actual?: QuickJSHandle, expected?: QuickJSHandle, message?: QuickJSHandle) => {
    const a = actual ? reader.read(actual, maxBytes) : { ok: true as const, value: undefined };
    const e = expected ? reader.read(expected, maxBytes) : { ok: true as const, value: undefined };
    const prefix = note(message) !== undefined ? `${note(message)}: ` : "";
    if (!a.ok) return assertionError(vm, `${prefix}the actual value cannot be compared: ${a.error.message}`);
    if (!e.ok) return assertionError(vm, `${prefix}the expected value cannot be compared: ${e.error.message}`);
    if (deepEqual(a.value, e.value)) return undefined;
    return assertionError(vm, `${prefix}expected ${preview(e.value)}, got ${preview(a.value)}`);
  });
  try {
    vm.defineProp(vm.global, "assert", { value: assert, configurable: false, enumerable: false });
    vm.defineProp(vm.global, "assertEqual", { value: assertEqual, configurable: false, enumerable: false });
    return undefined;
  } catch {
    return "the code under test defines its own assert or assertEqual; rename it";
  } finally {
    assert.dispose();
    assertEqual.dispose();
  }
}

/**
 * One test in a fresh session: the built-ins frozen, the code under test, then the assertions,
 * then the snippet. The code cannot change what the harness and the test rely on, and what the
 * assertions compare is read on the host.
 */
export function runTest(quickjs: QuickJSWASMModule, limits: SessionLimits, code: string, test: { readonly name: string; readonly code: string }): TestRun {
  const started = performance.now();
  let outcome: { error?: string; logs: readonly SandboxLog[] };
  try {
    outcome = withSession(quickjs, limits, (s) => {
      s.lockdown();
      const loaded = s.evaluate(code, "solution.js", { discard: true });
      if (!loaded.ok) return { error: `the code did not load: ${describeError(loaded.error)}`, logs: [] };
      const tampered = installAssertions(s, limits.maxOutputBytes);
      if (tampered) return { error: tampered, logs: [] };
      const ran = s.evaluate(test.code, `test:${test.name}`, { discard: true });
      return ran.ok ? { logs: s.logs } : { error: describeError(ran.error), logs: s.logs };
    });
  } catch (err) {
    outcome = { error: describeError(engineFailure(quickjs, err)), logs: [] };
  }
  return { ...outcome, durationMs: performance.now() - started };
}
