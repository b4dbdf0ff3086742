// The contract every Sampler meets, as a vitest suite:
// `describeSamplerContract("tpe", () => new TpeSampler())`. Proposals are complete valid
// configurations (fixed variables at their default, inactive ones absent, constraints kept) on a
// mixed conditional space, whatever the history; the same seed and history give the same
// proposal (samplers keep no state between asks); other seeds give other proposals.
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { COST, QUALITY, type Objective, type Sampler, type TrialRecord } from "../samplers";
import { atMost, constraint, jsonKey, variable, VariableSpace, type Config } from "../variables";
import { runSamplerStudy, trialRng } from "./sampler-study";

const demo = (q: string) => ({ question: q, answer: q.toUpperCase() });

/** Every kind of variable, two levels of conditions, fixed variables and two constraints. */
export function contractSpace(): VariableSpace {
  return new VariableSpace(
    [
      variable.float("temperature", { low: 0, high: 2, default: 0.7 }),
      variable.float("learningRate", { low: 1e-5, high: 1e-1, log: true }),
      variable.int("k", { low: 0, high: 6, default: 2 }),
      variable.int("maxTokens", { low: 16, high: 4096, log: true, default: 512 }),
      variable.float("topP", { low: 0.1, high: 1, step: 0.05, default: 1 }),
      variable.choice("strategy", { choices: ["direct", "cot", "react"] }),
      variable.int("steps", { low: 1, high: 10, default: 4, condition: { variable: "strategy", in: ["react"] } }),
      variable.float("depth", { low: 0, high: 1, default: 0.5, condition: { variable: "strategy", in: ["cot", "react"] } }),
      variable.boolean("verify", { condition: { variable: "strategy", in: ["cot"] } }),
      variable.choice("verifier", { choices: ["small", "large"], condition: { variable: "verify", in: [true] } }),
      variable.text("instructions", { default: "Answer the question.", candidates: ["Answer briefly.", "Think step by step, then answer."] }),
      variable.demos("demos", { candidates: [[demo("a")], [demo("b"), demo("c")]], pool: [demo("a"), demo("b"), demo("c"), demo("d")], max: 3 }),
      variable.module("module", { choices: ["predict", "chain-of-thought"] }),
      variable.float("fixedWeight", { low: 0, high: 1, default: 0.3, fixed: true }),
      variable.choice("fixedStyle", { choices: ["plain", "markdown"], default: "markdown", fixed: true }),
      variable.int("hidden", { low: 0, high: 5, condition: { variable: "fixedStyle", in: ["plain"] } }),
    ],
    [atMost("demos", "k"), constraint("deep react runs use at most 8 steps", ["steps", "depth"], (c) => !(typeof c.steps === "number" && typeof c.depth === "number" && c.depth > 0.9 && c.steps > 8))],
  );
}

/** A smooth score over the contract space (higher is better), and a cost. */
export function contractObjective(config: Config): [number, number] {
  const num = (name: string, fallback: number) => (typeof config[name] === "number" ? (config[name] as number) : fallback);
  const quality =
    1 -
    (num("temperature", 0) - 0.4) ** 2 -
    0.05 * (Math.log10(num("learningRate", 1e-3)) + 3) ** 2 +
    (config.strategy === "cot" ? 0.3 : 0) +
    (config.verifier === "large" ? 0.1 : 0) +
    0.02 * num("k", 0) +
    (config.module === "chain-of-thought" ? 0.05 : 0);
  return [quality, num("maxTokens", 16) / 4096 + 0.1 * num("k", 0)];
}

function expectValid(space: VariableSpace, config: Config): void {
  const result = space.validate(config);
  expect(result.ok ? [] : result.errors).toEqual([]);
  // Complete: every active variable present, fixed ones at their default, inactive ones absent.
  expect(jsonKey(space.complete(config))).toBe(jsonKey(config));
  for (const v of space.variables) {
    if (v.fixed && v.name in config) expect(config[v.name]).toEqual(v.default);
    expect(v.name in config).toBe(space.isActive(v.name, config));
  }
}

const SINGLE: readonly Objective[] = [QUALITY];
const MULTI: readonly Objective[] = [QUALITY, COST];

/** A study of `n` trials on the contract space (every 7th trial fails), as a history to ask from. */
async function history(sampler: Sampler, n: number, objectives: readonly Objective[] = SINGLE, seed = 11): Promise<TrialRecord[]> {
  return runSamplerStudy({
    sampler,
    space: contractSpace(),
    objectives,
    seed,
    trials: n,
    batch: 2,
    evaluate: (config, i) => (i % 7 === 6 ? null : objectives.length === 1 ? contractObjective(config)[0] : contractObjective(config)),
  });
}

async function askWith(sampler: Sampler, trials: readonly TrialRecord[], seed: number, objectives: readonly Objective[] = SINGLE, space = contractSpace()): Promise<Config> {
  const trialNumber = trials.length;
  return sampler.ask({ space, trials, objectives, rng: trialRng(seed, trialNumber), trialNumber });
}

export function describeSamplerContract(name: string, makeSampler: () => Sampler): void {
  describe(`Sampler contract: ${name}`, () => {
    it("has a name and proposes a valid configuration from an empty history", async () => {
      const sampler = makeSampler();
      expect(sampler.name).toMatch(/\S/);
      expectValid(contractSpace(), await askWith(sampler, [], 1));
    });

    it("keeps every proposal of a 60-trial study valid: fixed variables, conditions, constraints", async () => {
      const trials = await history(makeSampler(), 60);
      expect(trials).toHaveLength(60);
      for (const t of trials) expectValid(contractSpace(), t.config);
      // The conditional branches were all explored.
      expect(new Set(trials.map((t) => t.config.strategy)).size).toBe(3);
    });

    it("gives the same proposal for the same seed and history, from the same or a fresh sampler", async () => {
      const trials = await history(makeSampler(), 40);
      const sampler = makeSampler();
      const first = await askWith(sampler, trials, 5);
      await askWith(sampler, trials.slice(0, 20), 9); // an unrelated ask in between changes nothing
      expect(await askWith(sampler, trials, 5)).toEqual(first);
      expect(await askWith(makeSampler(), trials, 5)).toEqual(first);
      // A study replayed from its seed proposes the same configurations.
      const again = await history(makeSampler(), 40);
      expect(again.map((t) => jsonKey(t.config))).toEqual(trials.map((t) => jsonKey(t.config)));
    });

    it("gives different proposals for different seeds (after the first trial, which may be the defaults)", async () => {
      const sampler = makeSampler();
      for (const n of [3, 40]) {
        const trials = await history(makeSampler(), n);
        const proposals = new Set<string>();
        for (let seed = 1; seed <= 6; seed++) proposals.add(jsonKey(await askWith(sampler, trials, seed)));
        expect(proposals.size).toBeGreaterThan(1);
      }
    });

    it("handles failed, pruned and running trials, and complete ones without usable values", async () => {
      const space = contractSpace();
      const rng = createRng(3);
      const configs = Array.from({ length: 30 }, () => space.sample(rng));
      const states = ["failed", "pruned", "running", "complete"] as const;
      const trials: TrialRecord[] = configs.map((config, number) => {
        const state = states[number % 4]!;
        if (state !== "complete") return { number, config, state };
        const values = number % 8 === 3 ? [Number.NaN] : number % 8 === 7 ? [] : [contractObjective(config)[0]];
        return { number, config, state, values };
      });
      expectValid(space, await askWith(makeSampler(), trials, 2));
      const onlyBad = trials.filter((t) => t.state !== "complete").map((t, number) => ({ ...t, number }));
      expectValid(space, await askWith(makeSampler(), onlyBad, 2));
      const allRunning = configs.map((config, number): TrialRecord => ({ number, config, state: "running" }));
      expectValid(space, await askWith(makeSampler(), allRunning, 2));
    });

    it("proposes the defaults of a space whose variables are all fixed", async () => {
      const space = new VariableSpace([
        variable.float("t", { low: 0, high: 1, default: 0.2, fixed: true }),
        variable.choice("m", { choices: ["a", "b"], default: "b", fixed: true }),
        variable.int("n", { low: 1, high: 3, fixed: true, condition: { variable: "m", in: ["a"] } }),
      ]);
      const trials: TrialRecord[] = Array.from({ length: 30 }, (_, number) => ({ number, config: space.defaults(), state: "complete", values: [number] }));
      for (const past of [[], trials]) expect(await askWith(makeSampler(), past, 4, SINGLE, space)).toEqual({ t: 0.2, m: "b" });
    });

    it("proposes valid configurations in a multi-objective study", async () => {
      const trials = await history(makeSampler(), 50, MULTI);
      for (const t of trials) expectValid(contractSpace(), t.config);
      expectValid(contractSpace(), await askWith(makeSampler(), trials, 8, MULTI));
    });

    it("accepts text and demo values outside the listed candidates in the history", async () => {
      const space = contractSpace();
      const trials = (await history(makeSampler(), 40)).map((t, i) =>
        i % 3 === 0 ? { ...t, config: { ...t.config, instructions: `Written elsewhere #${i % 2}`, demos: [demo("z")] } } : t,
      );
      for (let seed = 1; seed <= 4; seed++) expectValid(space, await askWith(makeSampler(), trials, seed));
    });
  });
}
