// optimize()'s plan: fitted to the budget for every optimizer it can plan, shrunk or refused with
// a reason when the budget is too small, money turned into calls, the teacher the strongest model.
import { describe, expect, it } from "vitest";
import { createPriceTable } from "../../lm";
import { Predict } from "../../modules";
import { discoverSpace } from "../../variables";
import type { Gepa } from "../gepa";
import type { MIPROv2 } from "../mipro";
import type { Simba } from "../simba";
import { planOptimize, PlanRefusedError, strongestModel, type PlannedOptimizer } from "./index";

const program = new Predict("question -> answer", { instructions: "Answer." });
const space = discoverSpace(program, { maxDemos: 4, temperature: false });
const input = (budget: number | undefined, requested: PlannedOptimizer = "auto", valSize = 30) => ({
  space,
  trainSize: 40,
  valSize,
  callsPerRun: 1,
  requested,
  ...(budget !== undefined ? { budget: { lmCalls: budget } } : {}),
});

describe("optimize()'s plan", () => {
  it("fits every planned optimizer into budgets of 50 to 400 calls: baseline, search and final validation", () => {
    const names: PlannedOptimizer[] = ["auto", "bootstrap-few-shot", "bootstrap-random-search", "mipro-v2", "simba", "gepa", "reflect-race", "labeled-few-shot"];
    for (const budget of [50, 78, 100, 117, 200, 400]) {
      for (const name of names) {
        const { plan } = planOptimize(input(budget, name));
        expect(plan.lmCalls, `${name} at ${budget}`).toBeLessThanOrEqual(budget);
        expect(plan.steps.map((s) => s.what.split(":")[0])).toEqual(["baseline", "search", "final validation of the best candidate (set aside from the start)"]);
        expect(plan.steps[0]!.lmCalls).toBe(plan.valExamples);
      }
    }
  });

  it("derives MIPROv2's preset, SIMBA's batch, candidates and steps, and GEPA's metric calls from the budget", () => {
    const mipro = (b: number) => planOptimize(input(b, "mipro-v2", 30)).optimizer as MIPROv2;
    expect(planOptimize(input(100, "mipro-v2")).plan.parameters).toMatchObject({ auto: "light" });
    expect(Number(planOptimize(input(100, "mipro-v2")).plan.parameters.numCandidates)).toBeLessThan(6);
    expect(planOptimize(input(300, "mipro-v2")).plan.parameters).toMatchObject({ auto: "light", numCandidates: 6 });
    expect(planOptimize(input(400, "mipro-v2")).plan.parameters).toMatchObject({ auto: "medium", numCandidates: 12 });
    expect(planOptimize(input(600, "mipro-v2")).plan.parameters).toMatchObject({ auto: "heavy", numCandidates: 18 });
    expect(mipro(100).name).toBe("mipro-v2");
    const simba = (b: number) => (planOptimize(input(b, "simba")).optimizer as Simba).options;
    for (const b of [200, 400]) {
      const o = simba(b);
      expect(o.maxSteps).toBeGreaterThanOrEqual(2);
      expect(2 * o.numCandidates * o.batchSize * o.maxSteps).toBeLessThanOrEqual(b - 60);
    }
    expect(simba(400).maxSteps * simba(400).numCandidates).toBeGreaterThan(simba(200).maxSteps * simba(200).numCandidates);
    const gepa = (b: number) => (planOptimize(input(b, "gepa")).optimizer as Gepa).options.maxMetricCalls!;
    expect(gepa(200)).toBeGreaterThan(gepa(100));
    expect(gepa(200)).toBeLessThanOrEqual(200 - 30);
  });

  it("subsamples the validation set with a reason when the budget cannot score it twice and search, and refuses below the minimum", () => {
    const { plan } = planOptimize(input(50, "auto", 30));
    expect(plan.valExamples).toBeLessThan(30);
    expect(plan.valExamples).toBeGreaterThanOrEqual(5);
    expect(plan.shrunk).toMatch(/the budget of 50 calls cannot score all 30 validation examples before and after and still search: \d+ of them are used/);
    expect(() => planOptimize(input(12, "auto", 30))).toThrow(PlanRefusedError);
    expect(() => planOptimize(input(12, "auto", 30))).toThrow(/a budget of 12 LM calls cannot pay for scoring the program before and after on at least 5 validation examples \(10 calls\) and the smallest search \(8 calls\); give at least 18 calls/);
  });

  it("turns a money budget into calls at the price of a typical call", () => {
    const { plan } = planOptimize({ ...input(undefined), budget: { usd: 0.01 }, usdPerCall: 0.0001 });
    expect(plan.budgetCalls).toBe(100);
    expect(plan.usd!).toBeLessThanOrEqual(0.01 + 1e-12);
    const unlimited = planOptimize(input(undefined)).plan;
    expect(unlimited.budgetCalls).toBeNull();
    expect(unlimited.notes[0]).toMatch(/no call or money limit: the plan is sized for 600 calls/);
  });

  it("takes the strongest offered model (by price per token) as the teacher", async () => {
    const prices = createPriceTable();
    expect(await strongestModel(["dspex-demo-mini", "dspex-demo-large", "dspex-demo-1"], prices, "demo")).toBe("dspex-demo-large");
    expect(await strongestModel(["dspex-demo-mini"], prices, "demo")).toBeUndefined();
  });
});
