// The run_tests action: runs code against tests in the QuickJS sandbox. The coder checks its own
// work with it; the reviewer runs the hidden tests with it. Guest faults come back as a report.
import { z } from "zod";
import { defineAction, type Action } from "../action";
import { runTests, type TestReport } from "../sandbox";

export const SandboxTestSchema = z.object({
  name: z.string().min(1, "must name the test"),
  code: z.string().min(1, 'must be a snippet such as assertEqual(add(1, 2), 3)'),
});

export const RunTestsInputSchema = z.object({
  code: z.string(),
  tests: z.array(SandboxTestSchema),
  /** Per sandbox (one to load the code, then one per test); default 1000. */
  timeoutMs: z.number().positive().max(60_000).optional(),
  memoryBytes: z.number().int().positive().max(512 * 1024 * 1024).optional(),
});
export type RunTestsInput = z.infer<typeof RunTestsInputSchema>;

export const RUN_TESTS_ACTION = "run_tests";

export const runTestsAction: Action<RunTestsInput, TestReport> = defineAction<RunTestsInput, TestReport>({
  name: RUN_TESTS_ACTION,
  description: "Run JavaScript code against test snippets in an isolated QuickJS sandbox (time and memory limits, no I/O) and report which tests pass.",
  input: RunTestsInputSchema,
  limits: { timeoutMs: 120_000 },
  run: ({ code, tests, timeoutMs, memoryBytes }) => runTests(code, tests, { ...(timeoutMs !== undefined && { timeoutMs }), ...(memoryBytes !== undefined && { memoryBytes }) }),
});

/** A test report as short text for a prompt. */
export function describeReport(report: TestReport | undefined): string {
  if (!report || report.total === 0) return "No tests were run.";
  const lines = [`${report.passed} of ${report.total} tests passed.`];
  if (report.loadError) lines.push(`The code did not load: ${report.loadError.kind}: ${report.loadError.message}`);
  else for (const r of report.results) if (!r.passed) lines.push(`FAILED "${r.name}": ${r.error ?? "failed"}`);
  return lines.join("\n");
}
