import { describe, expect, it } from "vitest";
import { createDemoLM } from "../demo-lm";
import { Predict } from "../modules";
import { optimize } from "../optimizers";
import { MIPROv2 } from "../optimizers/mipro";
import { arithmeticTask } from "../demos";
import { evaluate } from "./evaluate";

const lm = createDemoLM({ latencyMs: 0 });
const program = new Predict("question -> answer");
const dataset = [
  { inputs: { question: "one" }, outputs: { answer: "1" } },
  { inputs: { question: "two" }, outputs: { answer: "2" } },
];
const throwsOnTwo = (example: { inputs: Record<string, unknown> }) => {
  if (example.inputs.question === "two") throw new Error("no rule for two");
  return 1;
};

describe("APIs that fail loudly", () => {
  it("a metric that throws stops the evaluation, naming the example and the error", async () => {
    await expect(evaluate(program, dataset, throwsOnTwo, lm, { concurrency: 1 })).rejects.toMatchObject({
      code: "METRIC_FAILED",
      message: expect.stringMatching(/the metric threw on example 1 \(inputs \{"question":"two"\}\): no rule for two; .*onError: "score-zero"/),
    });
  });

  it('onError: "score-zero" scores such examples 0 and keeps the error in the result', async () => {
    const report = await evaluate(program, dataset, throwsOnTwo, lm, { onError: "score-zero" });
    expect(report.results.map((r) => r.score)).toEqual([1, 0]);
    expect(report.results[1]!.error).toBe("metric failed: no rule for two");
    expect(report.errors).toBe(1);
  });

  it("a typo in a budget key is an error naming the key and the nearest valid one", async () => {
    await expect(optimize(arithmeticTask.makeProgram(), arithmeticTask.dataset.train, { metric: arithmeticTask.metric, lm, budget: { calls: 10 } as never })).rejects.toThrow(
      /budget: unknown key "calls"; did you mean "lmCalls"\? \(keys: lmCalls, usd, seconds\)/,
    );
    await expect(optimize(arithmeticTask.makeProgram(), arithmeticTask.dataset.train, { metric: arithmeticTask.metric, lm, budget: { secnds: 10 } as never })).rejects.toThrow(/did you mean "seconds"/);
  });

  it("an unknown optimizer option names the nearest valid one", () => {
    expect(() => new MIPROv2({ numCandidate: 3 } as never)).toThrow(/option "numCandidate" is not an option; options: .*; did you mean "numCandidates"\?/);
  });
});
