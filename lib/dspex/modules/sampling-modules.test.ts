import { describe, expect, it } from "vitest";
import { byFields, FakeLM, inputsOf } from "../testing/fake-lm";
import { BestOfN, MultiChainComparison, Parallel, Predict, Refine, runBatch } from "./index";

describe("BestOfN", () => {
  it("samples fresh attempts at temperature 1 and stops at the first that meets the threshold", async () => {
    let i = 0;
    const lm = new FakeLM(byFields(() => ({ answer: String(++i) })));
    const best = new BestOfN(new Predict("question -> answer"), { n: 5, reward: (_in, out) => Number(out.answer) / 3, threshold: 1 });
    expect(await best.run({ question: "q" }, lm)).toEqual({ answer: "3" });
    expect(lm.requests).toHaveLength(3);
    expect(new Set(lm.requests.map((r) => r.rolloutId)).size).toBe(3);
    expect(lm.requests.every((r) => r.temperature === 1)).toBe(true);
  });

  it("returns the best of all attempts when none reaches the threshold", async () => {
    const scores = [0.2, 0.9, 0.4];
    let i = 0;
    const lm = new FakeLM(byFields(() => ({ answer: String(scores[i++]) })));
    const best = new BestOfN(new Predict("question -> answer"), { n: 3, reward: (_in, out) => Number(out.answer), threshold: 1 });
    expect(await best.run({ question: "q" }, lm)).toEqual({ answer: "0.9" });
  });
});

describe("Refine", () => {
  it("adds the advisor's advice to the instructions of the next attempt", async () => {
    let attempt = 0;
    const lm = new FakeLM(
      byFields((_inputs, outputs, req) => {
        if (outputs.includes("advice")) return { advice: "Mention the year." };
        attempt++;
        return { answer: req.messages[0]!.content.includes("Mention the year.") ? "in 2026" : "soon" };
      }),
    );
    const refine = new Refine(new Predict("question -> answer"), { n: 3, threshold: 1, reward: (_in, out) => (String(out.answer).includes("2026") ? 1 : 0) });
    expect(await refine.run({ question: "when?" }, lm)).toEqual({ answer: "in 2026" });
    expect(attempt).toBe(2);
    expect(lm.requests[1]!.messages[0]!.content).toContain("below its target");
  });
});

describe("MultiChainComparison", () => {
  it("compares m independent chains of thought and answers from the comparison", async () => {
    let i = 0;
    const lm = new FakeLM(
      byFields((inputs, outputs) =>
        outputs.includes("rationale")
          ? { rationale: "attempts 1 and 3 agree", answer: `final from ${Object.keys(inputs).filter((k) => k.startsWith("attempt_")).length} attempts` }
          : { reasoning: `chain ${++i}`, answer: String(i) },
      ),
    );
    const out = await new MultiChainComparison("question -> answer", { m: 3 }).run({ question: "q" }, lm);
    expect(out).toEqual({ rationale: "attempts 1 and 3 agree", answer: "final from 3 attempts" });
    expect(inputsOf(lm.requests[3]!).attempt_2).toBe("Reasoning: chain 2 Answer: answer: 2");
    expect(lm.requests.slice(0, 3).every((r) => r.temperature === 1)).toBe(true);
  });
});

describe("Parallel", () => {
  it("runs a batch with at most `concurrency` items at once, keeping order and failures per item", async () => {
    let running = 0;
    let peak = 0;
    const lm = new FakeLM(async (req) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      const q = inputsOf(req).question!;
      if (q === "bad") return `[[ ## nothing ## ]]\n\n[[ ## completed ## ]]`;
      return `[[ ## answer ## ]]\n${q.toUpperCase()}\n\n[[ ## completed ## ]]`;
    });
    const items = ["a", "b", "bad", "c", "d", "e", "f"].map((question) => ({ question }));
    const results = await runBatch(new Predict("question -> answer"), items, { lm, fallbackAdapter: null, maxRetries: 0 }, { concurrency: 2 });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.ok ? r.outputs.answer : "error"))).toEqual(["A", "B", "error", "C", "D", "E", "F"]);

    const parallel = new Parallel(new Predict("question -> answer"), { concurrency: 3 });
    const out = await parallel.run({ batch: [{ question: "x" }, { question: "y" }] }, lm);
    expect(out.results.map((r) => r.ok && r.outputs.answer)).toEqual(["X", "Y"]);
  });
});
