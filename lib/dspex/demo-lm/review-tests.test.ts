import { describe, expect, it } from "vitest";
import { createDemoLM } from "./index";
import { readTestReport } from "./review-tests";

describe("the demo model reviewing with a test report", () => {
  it("reads 'N of M tests passed' and the FAILED lines", () => {
    expect(readTestReport({ test_report: "2 of 3 tests passed.\nFAILED \"fifteen\": expected FizzBuzz" })).toEqual({ passed: 2, total: 3, failures: ['FAILED "fifteen": expected FizzBuzz'] });
    expect(readTestReport({ question: "2 of 3 tests passed" })).toBeUndefined();
  });

  it("approves exactly when every test passed, whatever the seed", async () => {
    const { Predict } = await import("../modules");
    const reviewer = new Predict("task: string, submission: string, test_report: string -> approved: boolean, score: probability, issues: string[]");
    for (const seed of [1, 2, 3, 4, 5]) {
      const lm = createDemoLM({ seed });
      const pass = await reviewer.run({ task: "t", submission: "code", test_report: "3 of 3 tests passed." }, lm);
      expect(pass).toMatchObject({ approved: true, score: 1, issues: [] });
      const fail = await reviewer.run({ task: "t", submission: "code", test_report: ' 1 of 3 tests passed.\nFAILED "a": x\nFAILED "b": y' }, lm);
      expect(fail).toMatchObject({ approved: false, issues: ['FAILED "a": x', 'FAILED "b": y'] });
      expect(fail.score).toBeCloseTo(1 / 3, 2);
    }
  });
});
