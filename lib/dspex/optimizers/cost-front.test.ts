import { describe, expect, it } from "vitest";
import { EMPTY_USAGE } from "../lm/types";
import { Predict } from "../modules";
import { FakeLM, inputsOf, markerReply } from "../testing";
import { discoverSpace } from "../variables";
import { exact, items } from "./bootstrap/test-fixture";
import { costAware, runOptimization, type Optimizer, type TrialResult } from "./index";

const trial = (number: number, scores: number[], label: string): TrialResult => ({
  number,
  config: { label },
  state: "complete",
  evaluation: "full",
  examples: scores.map((_, i) => i),
  scores,
  score: scores.reduce((s, x) => s + x, 0) / scores.length,
  costUsd: 0,
  lmCalls: scores.length,
  usage: EMPTY_USAGE,
  latencyMs: 0,
  startedAt: 0,
  finishedAt: 0,
});

describe("cost-aware results", () => {
  it("gives the quality-cost front and the cheapest configuration within one standard error of the best", () => {
    const trials = [
      trial(0, [1, 0, 1, 0, 1, 0, 1, 0], "cheap-weak"), // 0.5
      trial(1, [1, 1, 1, 0, 1, 1, 1, 0], "mid"), // 0.75
      trial(2, [1, 1, 1, 1, 1, 1, 1, 0], "best"), // 0.875, SE 0.125
      trial(3, [1, 0, 0, 0, 1, 0, 1, 0], "dominated"), // 0.375 at a high cost
    ];
    const cost: Record<string, number> = { "cheap-weak": 0.001, mid: 0.002, best: 0.01, dominated: 0.02 };
    const result = costAware(trials, (t) => cost[String(t.config.label)])!;
    expect(result.front.map((p) => p.config.label)).toEqual(["cheap-weak", "mid", "best"]);
    expect(result.best.config.label).toBe("best");
    expect(result.best.standardError).toBeCloseTo(0.125);
    expect(result.cheapestWithin1SE.config.label).toBe("mid");
    expect(costAware(trials, () => undefined)).toBeUndefined();
  });

  it("is in the report when calls are priced: cost per prediction from the calls made", async () => {
    // Every demo shown costs $0.001 more per call; one demo gets 21 of 24 right, three get 22.
    const lm = new FakeLM((request) => {
      const demos = request.messages.filter((m) => m.role === "assistant").length;
      const q = inputsOf(request).question ?? "";
      const n = Number(q.replace(/\D/g, ""));
      const right = demos >= 3 ? n !== 100 && n !== 112 : demos >= 1 ? ![100, 112, 116].includes(n) : false;
      return { text: markerReply({ answer: right ? q.toUpperCase() : "wrong" }), costUsd: 0.001 * (1 + demos) };
    });
    const program = new Predict("question -> answer");
    const space = discoverSpace(program, { temperature: false }).select(["demos"]);
    const demo = (i: number) => ({ question: `item${i}`, answer: `ITEM${i}` });
    const scripted: Optimizer = {
      name: "scripted",
      plan: () => ({ lmCalls: 0, trials: 0 }),
      run: async (ctx) => {
        await ctx.study.evaluate({ demos: [demo(1)] });
        await ctx.study.evaluate({ demos: [demo(1), demo(2), demo(3)] });
        return { best: { demos: [demo(1), demo(2), demo(3)] } };
      },
    };
    const report = await runOptimization({ optimizer: scripted, program, space, trainset: items(4), valset: items(24, 100), metric: exact, lm, seed: 1 });
    const c = report.costAware!;
    expect(c.best.score).toBeCloseTo(22 / 24);
    expect(c.best.costPerExample).toBeCloseTo(0.004);
    expect(c.front.map((p) => [p.score, Number(p.costPerExample.toFixed(3))])).toEqual([
      [0, 0.001],
      [21 / 24, 0.002],
      [22 / 24, 0.004],
    ]);
    expect(c.cheapestWithin1SE).toMatchObject({ score: 21 / 24 });
    expect(c.cheapestWithin1SE.costPerExample).toBeCloseTo(0.002);
  });
});
