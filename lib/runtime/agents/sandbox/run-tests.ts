// runTests: the code under test and each test snippet, in a fresh sandbox per test (a test cannot
// see what another one did). Convention: the code defines the function(s) the task names at top
// level (`function fizzbuzz(n) {…}`); a test calls them and asserts with assert / assertEqual,
// which are installed after the code runs and compare on the host.
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from "quickjs-emscripten";
import { SandboxOptionsError } from "./errors";
import { deepEqual, preview } from "./marshal";
import { discardQuickJS, loadQuickJS } from "./quickjs";
import { limitsOf } from "./run-in-sandbox";
import { withSession, type Session } from "./session";
import type { SandboxError, SandboxLog, SandboxOptions, SandboxTest, TestOutcome, TestReport } from "./types";

function assertionError(vm: QuickJSContext, message: string): { error: QuickJSHandle } {
  return { error: vm.newError({ name: "AssertionError", message }) };
}

/** Defines assert and assertEqual as non-configurable globals (host functions). */
function installAssertions(session: Session): string | undefined {
  const { vm } = session;
  const assert = vm.newFunction("assert", (condition?: QuickJSHandle, message?: QuickJSHandle) => {
    if (condition && vm.dump(condition)) return undefined;
    return assertionError(vm, message ? String(vm.dump(message)) : "assertion failed");
  });
  const assertEqual = vm.newFunction("assertEqual", (actual?: QuickJSHandle, expected?: QuickJSHandle, message?: QuickJSHandle) => {
    const a: unknown = actual ? vm.dump(actual) : undefined;
    const e: unknown = expected ? vm.dump(expected) : undefined;
    if (deepEqual(a, e)) return undefined;
    const prefix = message ? `${String(vm.dump(message))}: ` : "";
    return assertionError(vm, `${prefix}expected ${preview(e)}, got ${preview(a)}`);
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

/** Runs a session; an engine failure (the module aborted) becomes a runtime error and a fresh module. */
function guarded<T>(quickjs: QuickJSWASMModule, run: () => T, onFailure: (error: SandboxError) => T): T {
  try {
    return run();
  } catch (err) {
    discardQuickJS(quickjs);
    return onFailure({ kind: "runtime", message: `the sandbox engine failed and was reset: ${err instanceof Error ? err.message : String(err)}` });
  }
}

function describe(error: SandboxError): string {
  return error.kind === "runtime" ? error.message : `${error.kind}: ${error.message}`;
}

function checkTests(tests: readonly SandboxTest[]): void {
  tests.forEach((t, i) => {
    if (!t || typeof t.name !== "string" || typeof t.code !== "string") throw new SandboxOptionsError(`tests[${i}]`, `runTests: tests[${i}] must be { name: string, code: string }, e.g. { name: "15", code: "assertEqual(fizzbuzz(15), 'FizzBuzz')" }`);
  });
}

/**
 * Runs the tests against the code; never throws for guest faults. Limits apply per sandbox (one
 * to load the code, then one per test). When the code itself fails to load, no test runs.
 */
export async function runTests(code: string, tests: readonly SandboxTest[], options: SandboxOptions = {}): Promise<TestReport> {
  checkTests(tests);
  const limits = limitsOf(options);
  const quickjs = await loadQuickJS();
  const started = performance.now();
  const logs: SandboxLog[] = [];
  const load = guarded(quickjs, () => withSession(quickjs, limits, (s) => ({ result: s.evaluate(code, "solution.js"), logs: s.logs })), (error) => ({ result: { ok: false as const, error }, logs: [] }));
  logs.push(...load.logs);
  const finish = (results: TestOutcome[], loadError?: SandboxError): TestReport => {
    const passed = results.filter((r) => r.passed).length;
    return { passed, failed: results.length - passed, total: results.length, allPassed: results.length > 0 && passed === results.length, ...(loadError && { loadError }), results, logs, durationMs: performance.now() - started };
  };
  if (!load.result.ok) {
    const error = load.result.error;
    return finish(tests.map((t) => ({ name: t.name, passed: false, error: `the code did not load: ${describe(error)}`, durationMs: 0 })), error);
  }
  const results: TestOutcome[] = [];
  for (const test of tests) {
    const t0 = performance.now();
    const outcome = guarded(
      quickjs,
      () =>
        withSession(quickjs, limits, (s): { error?: string } => {
          const loaded = s.evaluate(code, "solution.js");
          if (!loaded.ok) return { error: `the code did not load: ${describe(loaded.error)}` };
          const tampered = installAssertions(s);
          if (tampered) return { error: tampered };
          const ran = s.evaluate(test.code, `test:${test.name}`);
          logs.push(...s.logs);
          return ran.ok ? {} : { error: describe(ran.error) };
        }),
      (error) => ({ error: describe(error) }),
    );
    results.push({ name: test.name, passed: outcome.error === undefined, ...outcome, durationMs: performance.now() - t0 });
  }
  return finish(results);
}
