import { describe, expect, it } from "vitest";
import { Predict } from "../modules";
import { byFields, FakeLM } from "../testing/fake-lm";
import { evaluate, exactMatch, f1, lmJudge, meanAndInterval, numericMatch, percentiles, t95, tokenF1 } from "./index";

const dataset = [
  { inputs: { question: "1" }, outputs: { answer: "one" } },
  { inputs: { question: "2" }, outputs: { answer: "two" } },
  { inputs: { question: "3" }, outputs: { answer: "three" } },
  { inputs: { question: "4" }, outputs: { answer: "four" } },
];
const WORDS: Record<string, string> = { "1": "one", "2": "two", "3": "tree", "4": "four" };

describe("evaluate", () => {
  it("scores every example and reports the mean, its 95% interval, cost, tokens and latency", async () => {
    const lm = new FakeLM(byFields((inputs) => ({ answer: WORDS[inputs.question!] })));
    const progress: number[] = [];
    const report = await evaluate(new Predict("question -> answer"), dataset, exactMatch(), lm, { concurrency: 2, onProgress: (p) => progress.push(p.done) });
    expect(report.results.map((r) => r.score)).toEqual([1, 1, 0, 1]);
    expect(report.mean).toBe(0.75);
    // s = 0.5, n = 4: half-width = t(3) * 0.5 / 2
    expect(report.ci95.low).toBeCloseTo(0.75 - 3.182 * 0.25, 6);
    expect(report.ci95.high).toBeCloseTo(0.75 + 3.182 * 0.25, 6);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(report.lmCalls).toBe(4);
    expect(report.usage.inputTokens).toBe(40);
    expect(report.results[2]!.trace!.lmCalls[0]!.messages.at(-1)!.content).toContain("3");
    expect(report.latencyMs.p50).toBeGreaterThanOrEqual(0);
  });

  it("counts an example whose run fails as an error scoring 0, and goes on", async () => {
    const lm = new FakeLM((req, i) => (i === 1 ? new Error("provider down") : byFields(() => ({ answer: "one" }))(req, i)));
    const report = await evaluate(new Predict("question -> answer"), dataset.slice(0, 3), exactMatch(), lm, { concurrency: 1 });
    expect(report.errors).toBe(1);
    expect(report.results[1]).toMatchObject({ score: 0, error: "provider down" });
    expect(report.n).toBe(3);
  });

  it("refuses a bad concurrency", async () => {
    await expect(evaluate(new Predict("q -> a"), [], exactMatch(), new FakeLM([]), { concurrency: 0 })).rejects.toThrow(
      "evaluate: concurrency must be a positive integer; got 0",
    );
  });
});

describe("metrics", () => {
  const ex = (answer: unknown) => ({ inputs: {}, outputs: { answer } });
  it("exact match normalises case, punctuation and articles", () => {
    expect(exactMatch()(ex("The Eiffel Tower"), { answer: "eiffel tower." })).toBe(true);
    expect(exactMatch()(ex("Paris"), { answer: "London" })).toBe(false);
  });
  it("F1 counts overlapping tokens", () => {
    expect(tokenF1("a b c", "a b d")).toBeCloseTo(2 / 3, 10);
    expect(f1()(ex("the quick brown fox"), { answer: "quick fox" })).toBeCloseTo(0.8, 10);
  });
  it("numeric match reads numbers out of text within a tolerance", () => {
    expect(numericMatch()(ex(1234.5), { answer: "The total is 1,234.5 dollars" })).toBe(true);
    expect(numericMatch("answer", { tolerance: 0.01, relative: true })(ex(100), { answer: 100.5 })).toBe(true);
    expect(numericMatch()(ex(3), { answer: "three" })).toBe(0);
  });
  it("an LM judge returns its verdict as the score and its reason as feedback", async () => {
    const judgeLM = new FakeLM(byFields((inputs) => ({ correct: inputs.predicted!.includes("Paris") ? "true" : "false", reason: "compared capitals" })));
    const metric = lmJudge({ lm: judgeLM, criteria: "Names the right capital." });
    expect(await metric(ex("Paris"), { answer: "It is Paris" })).toEqual({ score: 1, feedback: "compared capitals" });
    expect(await metric(ex("Paris"), { answer: "Lyon" })).toEqual({ score: 0, feedback: "compared capitals" });
    expect(judgeLM.requests[0]!.temperature).toBe(0);
  });
  it("statistics: t quantiles, intervals and nearest-rank percentiles", () => {
    expect(t95(1)).toBe(12.706);
    expect(t95(1000)).toBeCloseTo(1.962, 3);
    expect(meanAndInterval([1])).toEqual({ mean: 1, stdev: 0, low: 1, high: 1 });
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ p50: 3, p95: 5, p99: 5, mean: 3 });
  });
});
