// Reviews that come with a test report (the demo team's reviewer): a deliberately simple,
// documented behaviour. A request with an input named like test_report / test_results whose text
// says "N of M tests passed" is judged by that line alone:
//   - boolean outputs (approved, accept, ok, ...): true exactly when M > 0 and N = M
//   - probability / number / score outputs: N / M (scaled to the field's range)
//   - list outputs named like issues/problems: the report's "FAILED ..." lines (empty when all pass)
//   - list outputs named like suggestions: one generic suggestion per failure
// Other outputs are filled as usual. No draws: the same report always gets the same verdict.
import type { DemoField } from "./field-lines";

export interface TestReportReading {
  readonly passed: number;
  readonly total: number;
  readonly failures: readonly string[];
}

const REPORT_FIELD = /^test_?(report|results?)$/i;
const PASSED = /(\d+)\s+of\s+(\d+)\s+tests?\s+passed/i;

export function readTestReport(inputs: Readonly<Record<string, string>>): TestReportReading | undefined {
  const entry = Object.entries(inputs).find(([name]) => REPORT_FIELD.test(name));
  if (!entry) return undefined;
  const m = PASSED.exec(entry[1]);
  const failures = entry[1].split("\n").filter((l) => l.startsWith("FAILED") || l.startsWith("The code did not load"));
  if (!m) return { passed: 0, total: 0, failures: failures.length > 0 ? failures : [entry[1].trim() || "the tests did not run"] };
  return { passed: Number(m[1]), total: Number(m[2]), failures };
}

/** The value of one output field for a review, or undefined to fill it as usual. */
export function reviewValue(field: DemoField, report: TestReportReading): unknown {
  const share = report.total > 0 ? report.passed / report.total : 0;
  switch (field.kind) {
    case "boolean":
      return report.total > 0 && report.passed === report.total;
    case "probability":
    case "confidence":
    case "number":
      return Math.round(((field.min ?? 0) + ((field.max ?? 1) - (field.min ?? 0)) * share) * 1000) / 1000;
    case "integer":
    case "score":
      return Math.round((field.min ?? 0) + ((field.max ?? (field.kind === "score" ? 10 : 1)) - (field.min ?? 0)) * share);
    case "list":
      if (/issue|problem|defect/i.test(field.name)) return [...report.failures];
      if (/suggest|fix|advice/i.test(field.name)) return report.failures.map((f) => `Fix the failing case: ${f.replace(/^FAILED\s*/, "")}`);
      return undefined;
    default:
      return undefined;
  }
}
