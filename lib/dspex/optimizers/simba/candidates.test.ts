import { describe, expect, it } from "vitest";
import { ChainOfThought, Predict, defineProgram } from "../../modules";
import { createRng } from "../../random";
import { discoverSpace, type Config, type DemoSet, type DemoValue } from "../../variables";
import { appendAdvice, appendDemos, dropDemos, poisson, simbaTargets, trajectoryDemos } from "./index";

const twoSteps = () =>
  defineProgram({
    name: "TwoSteps",
    modules: { draft: new Predict("question -> draft"), answer: new ChainOfThought("draft -> answer") },
    forward: async (inputs: { question: string }, m, ctx) => m.answer.run({ draft: (await m.draft.run(inputs, ctx)).draft as string }, ctx),
  });

const demos = (n: number, tag: string): DemoSet => Array.from({ length: n }, (_, i) => ({ question: `${tag}${i}`, draft: `d${i}` }));

describe("SIMBA candidate building", () => {
  it("targets only searchable instructions and demo sets", () => {
    const space = discoverSpace(twoSteps()).select((v) => v.name === "draft.instructions" || v.name === "answer.demos");
    const t = simbaTargets(space);
    expect([...t.instructions]).toEqual([["draft", "draft.instructions"]]);
    expect([...t.demos.keys()]).toEqual(["answer"]);
  });

  it("draws Poisson counts with the right mean", () => {
    const rng = createRng(1);
    const draws = Array.from({ length: 5000 }, () => poisson(rng, 1.5));
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(1.5, 1);
    expect(poisson(rng, 0)).toBe(0);
  });

  it("drops at least one demo once a step holds maxDemos, at the same positions in every step", () => {
    const space = discoverSpace(twoSteps());
    const t = simbaTargets(space);
    const config: Config = { ...space.defaults(), "draft.demos": demos(4, "a"), "answer.demos": demos(4, "b") };
    for (let seed = 0; seed < 30; seed++) {
      const { config: next, dropped } = dropDemos(config, t, createRng(seed), 4);
      const a = next["draft.demos"] as DemoSet;
      const b = next["answer.demos"] as DemoSet;
      expect(dropped).toBeGreaterThanOrEqual(1);
      expect(a.length).toBe(4 - dropped);
      expect(a.map((d) => String(d.question).slice(1))).toEqual(b.map((d) => String(d.question).slice(1)));
      expect(next["draft.instructions"]).toBe(config["draft.instructions"]);
    }
  });

  it("drops nothing from empty demo sets, and leaves fixed demo sets alone", () => {
    const space = discoverSpace(twoSteps()).select((v) => v.name !== "answer.demos");
    const t = simbaTargets(space);
    const config = space.defaults();
    expect(dropDemos(config, t, createRng(3), 4)).toEqual({ config, dropped: 0 });
  });

  it("turns a run into one demo per step (the step's last call), cutting long inputs", () => {
    const steps = [
      { step: "draft", inputs: { question: "x".repeat(50) }, outputs: { draft: "first" } },
      { step: "draft", inputs: { question: "short" }, outputs: { draft: "second" } },
      { step: "answer", inputs: { draft: "second" }, outputs: { reasoning: "because", answer: "42" } },
    ];
    const out = trajectoryDemos(steps, 10);
    expect(out.get("draft")).toEqual({ question: "short", draft: "second" });
    expect(out.get("answer")).toEqual({ draft: "second", reasoning: "because", answer: "42" });
    expect(String(trajectoryDemos(steps.slice(0, 1), 10).get("draft")!.question)).toMatch(/^x{10}\n\.\.\. \(truncated\)$/);
  });

  it("appends demos only to searchable sets, dropping the oldest past the variable's limit", () => {
    const space = discoverSpace(twoSteps(), { maxDemos: 2 }).select((v) => v.name === "draft.demos");
    const t = simbaTargets(space);
    const config: Config = { ...space.defaults(), "draft.demos": demos(2, "a") };
    const next = appendDemos(config, t, new Map<string, DemoValue>([["draft", { question: "new", draft: "n" }], ["answer", { draft: "z", answer: "1" }]]));
    expect(next["draft.demos"]).toEqual([{ question: "a1", draft: "d1" }, { question: "new", draft: "n" }]);
    expect(next["answer.demos"]).toEqual(config["answer.demos"]);
  });

  it("appends advice to the advised steps' instructions after a blank line", () => {
    const space = discoverSpace(twoSteps()).select((v) => v.name === "answer.instructions");
    const t = simbaTargets(space);
    const config = space.defaults();
    const next = appendAdvice(config, t, new Map([["answer", "  Check the units.  "], ["draft", "ignored: not searchable"]]));
    expect(next["answer.instructions"]).toBe(`${String(config["answer.instructions"])}\n\nCheck the units.`);
    expect(next["draft.instructions"]).toBe(config["draft.instructions"]);
    expect(appendAdvice(config, t, new Map([["answer", "   "]]))).toEqual(config);
  });
});
