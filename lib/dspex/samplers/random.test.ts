import { describe, expect, it } from "vitest";
import { trialRng } from "../testing";
import { variable, VariableSpace } from "../variables";
import { QUALITY, RandomSampler } from "./index";

describe("RandomSampler", () => {
  it("draws each variable from its own distribution: log-uniform for log variables, every choice", () => {
    const space = new VariableSpace([variable.float("lr", { low: 1e-6, high: 1, log: true }), variable.choice("c", { choices: ["a", "b", "c"] })]);
    const sampler = new RandomSampler();
    const configs = Array.from({ length: 3000 }, (_, i) => sampler.ask({ space, trials: [], objectives: [QUALITY], rng: trialRng(1, i), trialNumber: i }));
    const decades = new Array(6).fill(0);
    for (const c of configs) decades[Math.min(5, Math.floor(-Math.log10(c.lr as number)))]++;
    for (const n of decades) expect(n).toBeGreaterThan(400);
    expect(new Set(configs.map((c) => c.c))).toEqual(new Set(["a", "b", "c"]));
  });
});
