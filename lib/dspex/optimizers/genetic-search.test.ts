import { describe, expect, it } from "vitest";
import { Predict } from "../modules";
import { byFields, FakeLM } from "../testing/fake-lm";
import { discoverSpace } from "../variables";
import { GeneticSearch, runOptimization } from "./index";

const data = Array.from({ length: 12 }, (_, i) => ({ inputs: { question: `q${i}` }, outputs: { answer: `a${i}` } }));

describe("GeneticSearch", () => {
  it("mutates instructions with LM rewrites and keeps the rewrite that helps", async () => {
    const program = new Predict("question -> answer", { instructions: "Answer." });
    // The task model is right only when told to be CAREFUL; the rewriter adds it about a third of the time.
    const task = new FakeLM(byFields((inputs, _o, req) => ({ answer: req.messages[0]!.content.includes("CAREFUL") ? inputs.question!.replace("q", "a") : "?" })));
    let rewrites = 0;
    const rewriter = new FakeLM(byFields((inputs) => ({ new_instruction: ++rewrites % 3 === 0 ? `${inputs.instruction} Be CAREFUL.` : `${inputs.instruction} Be quick.` })));
    const report = await runOptimization({
      optimizer: new GeneticSearch({ trials: 24, genetic: { populationSize: 6 } }),
      program,
      space: discoverSpace(program).select(["instructions"]),
      trainset: data,
      valset: data,
      metric: (ex, pred) => ex.outputs.answer === pred.answer,
      lm: task,
      promptLM: rewriter,
      seed: 2,
    });
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(1);
    expect(String(report.config.instructions)).toContain("CAREFUL");
    expect(rewriter.requests.length).toBeGreaterThan(0);
    expect(rewriter.requests.every((r) => r.temperature === 1 && r.rolloutId?.startsWith("genetic-rewrite-"))).toBe(true);
  });
});
