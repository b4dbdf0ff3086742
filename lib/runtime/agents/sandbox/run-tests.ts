// runTests: the code under test and each test snippet, in a fresh sandbox per test (a test cannot
// see what another one did). Convention: the code defines the function(s) the task names at top
// level (`function fizzbuzz(n) {…}`); a test calls them and asserts with assert / assertEqual,
// which are installed after the code runs and compare on the host side of the sandbox (in the
// worker thread, outside the guest). Every sandbox is one job of the pool, with its own hard deadline.
import { describeError } from "./engine";
import { SandboxOptionsError } from "./errors";
import { isAborted, sandboxPool } from "./pool";
import { limitsOf } from "./run-in-sandbox";
import type { SandboxError, SandboxLog, SandboxOptions, SandboxTest, TestOutcome, TestReport } from "./types";

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
  const pool = sandboxPool();
  const limits = limitsOf(options, pool.maxMemoryBytes);
  const started = performance.now();
  const logs: SandboxLog[] = [];
  const load = await pool.run({ type: "script", code, filename: "solution.js", limits, discard: true });
  const loadResult = isAborted(load) ? { ok: false as const, error: load.aborted } : load.evaluation;
  if (!isAborted(load)) logs.push(...load.logs);
  const finish = (results: TestOutcome[], loadError?: SandboxError): TestReport => {
    const passed = results.filter((r) => r.passed).length;
    return { passed, failed: results.length - passed, total: results.length, allPassed: results.length > 0 && passed === results.length, ...(loadError && { loadError }), results, logs, durationMs: performance.now() - started };
  };
  if (!loadResult.ok) {
    const error = loadResult.error;
    return finish(tests.map((t) => ({ name: t.name, passed: false, error: `the code did not load: ${describeError(error)}`, durationMs: 0 })), error);
  }
  const results: TestOutcome[] = [];
  for (const test of tests) {
    const t0 = performance.now();
    const ran = await pool.run({ type: "test", code, test: { name: test.name, code: test.code }, limits });
    const error = isAborted(ran) ? describeError(ran.aborted) : ran.error;
    if (!isAborted(ran)) logs.push(...ran.logs);
    results.push({ name: test.name, passed: error === undefined, ...(error !== undefined && { error }), durationMs: performance.now() - t0 });
  }
  return finish(results);
}
