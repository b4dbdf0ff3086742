import { describe, expect, it } from "vitest";
import { defineProgram, Predict } from "../../modules";
import { discoverSpace } from "../../variables";
import { runOptimization } from "../index";
import { LabeledFewShot } from "./index";
import { exact, items, scriptedLM } from "./test-fixture";

// Right only when the prompt shows at least one demo.
const demoHelps = () => scriptedLM((v) => v.demoTurns.length > 0);

function twoStep() {
  return defineProgram({
    name: "TwoStep",
    modules: { draft: new Predict("question -> notes"), final: new Predict("question, notes -> answer") },
    forward: async (inputs: { question: string }, m, ctx) => m.final.run({ question: inputs.question, ...(await m.draft.run(inputs, ctx)) }, ctx),
  });
}

describe("LabeledFewShot", () => {
  it("puts k labeled training examples in every searchable demo variable and scores the result once", async () => {
    const program = new Predict("question -> answer");
    const run = (seed: number, options = {}) =>
      runOptimization({ optimizer: new LabeledFewShot({ k: 3, ...options }), program, trainset: items(10), valset: items(4, 50), metric: exact, lm: demoHelps(), seed });
    const report = await run(1);
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(1);
    const demos = report.config.demos as Array<Record<string, string>>;
    expect(demos).toHaveLength(3);
    for (const d of demos) expect(d).toEqual({ question: d.question, answer: d.question!.toUpperCase() });
    expect(new Set(demos.map((d) => d.question)).size).toBe(3);
    expect(report.trials).toHaveLength(2);
    expect(report.spend.lmCalls).toBe(8);
    expect(report.estimate.lmCalls).toBe(8);
    // Reproducible by seed; another seed draws another sample; sample: false takes the first k.
    expect((await run(1)).config.demos).toEqual(demos);
    const seeds = await Promise.all([2, 3, 4].map((s) => run(s)));
    expect(seeds.some((r) => JSON.stringify(r.config.demos) !== JSON.stringify(demos))).toBe(true);
    expect(((await run(1, { sample: false })).config.demos as Array<Record<string, string>>).map((d) => d.question)).toEqual(["item0", "item1", "item2"]);
  });

  it("changes only searchable demo variables and respects each variable's maximum", async () => {
    const program = twoStep();
    const space = discoverSpace(program, { maxDemos: 2 }).select((v) => v.name === "final.demos");
    const report = await runOptimization({ optimizer: new LabeledFewShot({ k: 5 }), program, space, trainset: items(10), valset: items(2, 50), metric: exact, lm: demoHelps(), seed: 1 });
    expect(report.config["draft.demos"]).toEqual([]);
    expect(report.config["final.demos"]).toHaveLength(2);
    expect(report.config["final.instructions"]).toBe(program.modules.final.instructions);
  });

  it("does nothing, at no cost, without searchable demo variables", async () => {
    const program = new Predict("question -> answer");
    const space = discoverSpace(program).select((v) => v.kind === "text");
    const optimizer = new LabeledFewShot();
    expect(optimizer.plan({ space, trainSize: 10, valSize: 4, callsPerRun: 1 }).lmCalls).toBe(0);
    const report = await runOptimization({ optimizer, program, space, trainset: items(10), valset: items(4, 50), metric: exact, lm: demoHelps() });
    expect(report.trials).toHaveLength(1);
  });

  it("rejects bad options", () => {
    expect(() => new LabeledFewShot({ k: 0 })).toThrow('LabeledFewShot: option "k" must be a whole number >= 1 (default 16) (got 0)');
    expect(() => new LabeledFewShot({ sample: "yes" } as never)).toThrow(/option "sample" must be true or false/);
  });
});
