import { describe, expect, it } from "vitest";
import { byFields, FakeLM, inputsOf } from "../../testing";
import { cleanProposal, datasetSummaryCalls, summarizeDataset } from "./index";

const examples = (n: number) => Array.from({ length: n }, (_, i) => ({ inputs: { question: `q${i}` }, outputs: { answer: `a${i}` } }));

describe("summarizeDataset", () => {
  it("reads the data batch by batch, adds new observations, skips COMPLETE replies, and summarizes", async () => {
    let extended = 0;
    const lm = new FakeLM(
      byFields((inputs, outputs) => {
        if (outputs.includes("summary")) return { summary: `Summary: ${inputs.observations!.split("\n").join(" | ")}` };
        if ("prior_observations" in inputs) return { observations: ++extended === 2 ? "COMPLETE" : `more from ${inputs.examples!.split("\n")[0]}` };
        return { observations: "first look" };
      }),
    );
    const result = await summarizeDataset({ trainset: examples(35), context: { lm }, batchSize: 10 });
    expect(result.calls).toBe(5);
    expect(lm.requests).toHaveLength(5);
    expect(result.observations).toBe("first look\nmore from Example 11:\nmore from Example 31:");
    expect(result.summary).toBe("first look | more from Example 11: | more from Example 31:");
    expect(lm.requests.every((r) => r.temperature === 1)).toBe(true);
    expect(inputsOf(lm.requests[0]!).examples).toContain("Example 1:\nInputs:\n  question: q0\nExpected outputs:\n  answer: a0");
    expect(datasetSummaryCalls(35, 10)).toBe(5);
  });

  it("reads at most maxBatches batches and stops after maxSkips COMPLETE replies", async () => {
    const lm = new FakeLM(byFields((inputs, outputs) => (outputs.includes("summary") ? { summary: "s" } : { observations: "prior_observations" in inputs ? "complete" : "o" })));
    const result = await summarizeDataset({ trainset: examples(200), context: { lm }, maxSkips: 3 });
    expect(result.calls).toBe(1 + 3 + 1);
    const capped = await summarizeDataset({ trainset: examples(200), context: { lm }, maxSkips: 100 });
    expect(capped.calls).toBe(10 + 1);
    expect(datasetSummaryCalls(200)).toBe(11);
    expect(datasetSummaryCalls(0)).toBe(0);
  });
});

describe("cleanProposal", () => {
  it("drops a leading label and enclosing quotes, and keeps text that only looks like one", () => {
    expect(cleanProposal('Proposed Instruction: "Add the numbers."')).toBe("Add the numbers.");
    expect(cleanProposal("**New instruction:** Be brief.")).toBe("Be brief.");
    expect(cleanProposal("Solve the problem: be careful.")).toBe("Solve the problem: be careful.");
    expect(cleanProposal("  plain  ")).toBe("plain");
  });
});
