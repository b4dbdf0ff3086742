import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { runSamplerStudy, trialRng } from "../testing";
import { variable, VariableSpace, type Config } from "../variables";
import { GeneticSampler, hypervolume, RandomSampler, SamplerOptionError, type Sampler, type TrialRecord } from "./index";
import { bestValues, categorical, conditional, logScale, LOSS, median, quadratic, zdt1, type Problem } from "./test-problems";

const random = () => new RandomSampler();
const genetic = () => new GeneticSampler();

async function medians(problem: Problem, budget: number, ...makers: Array<() => Sampler>): Promise<number[]> {
  return Promise.all(makers.map(async (make) => median(await bestValues(make, problem, budget, 15))));
}

// Regret = best value found (every optimum is 0). Calibrated medians over 15 seeds at 100 trials
// (five generations of 20), random / genetic: quadratic 0.32 / 0.053; categorical 1.0 / 1.1e-4;
// conditional 0.041 / 0.007; log scale 0.0098 / 0.0033.
describe("GeneticSampler beats random search at equal budgets (median regret over 15 seeds, 100 trials)", () => {
  it("on a 2-D quadratic", async () => {
    const [r, g] = await medians(quadratic, 100, random, genetic);
    expect(g!).toBeLessThan(r! / 4);
  });

  it("on categoricals with one best choice each", async () => {
    const [r, g] = await medians(categorical, 100, random, genetic);
    expect(g!).toBeLessThan(r! / 4);
  });

  it("on a log-scale variable whose optimum is 1e-3", async () => {
    const [r, g] = await medians(logScale, 100, random, genetic);
    expect(g!).toBeLessThan(r! / 1.5);
  });

  it("on a conditional space where the best needs the right parent value", async () => {
    const [r, g] = await medians(conditional, 100, random, genetic);
    expect(g!).toBeLessThan(r! / 3);
  });
});

describe("GeneticSampler generations", () => {
  const space = new VariableSpace([variable.float("x", { low: 0, high: 10, default: 3 }), variable.choice("c", { choices: Array.from({ length: 60 }, (_, i) => i) })]);
  const ask = (sampler: Sampler, trials: readonly TrialRecord[], trialNumber: number, seed = 1) => sampler.ask({ space, trials, objectives: LOSS, rng: trialRng(seed, trialNumber), trialNumber });

  it("starts from the defaults, then draws the rest of the first generation at random", async () => {
    expect(await ask(genetic(), [], 0)).toEqual(space.defaults());
    const rng = createRng(5);
    const history: TrialRecord[] = Array.from({ length: 7 }, (_, number) => ({ number, config: space.sample(rng), state: "complete", values: [number] }));
    expect(await ask(genetic(), history, 7)).toEqual(await ask(random(), history, 7));
  });

  it("breeds generation g from generation g - 1 and the elites, read off trial numbers", async () => {
    // Generation 0 used choices 0-19 and generation 1 choices 20-39; the best trial (elite) is in
    // generation 0 with choice 7. Children of generation 2 carry choices of generation 1 or the
    // elites, never other generation-0 choices (mutation is off: rate tiny).
    const history: TrialRecord[] = Array.from({ length: 40 }, (_, number) => ({
      number,
      config: { x: number / 4, c: number },
      state: "complete",
      values: [number === 7 ? -100 : number === 3 ? -50 : number],
    }));
    const sampler = new GeneticSampler({ mutationRate: 1e-9 });
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) seen.add((await ask(sampler, history, 45, seed)).c as number);
    for (const c of seen) expect(c === 7 || c === 3 || (c >= 20 && c < 40)).toBe(true);
    expect(seen.has(7)).toBe(true);
  });

  it("selects by tournament: with every trial in the tournament, children copy the best", async () => {
    const history: TrialRecord[] = Array.from({ length: 20 }, (_, number) => ({ number, config: { x: number / 2, c: number }, state: "complete", values: [Math.abs(number - 12)] }));
    const sampler = new GeneticSampler({ tournamentSize: 22, mutationRate: 1e-9 });
    for (let seed = 0; seed < 5; seed++) expect(await ask(sampler, history, 20, seed)).toEqual({ x: 6, c: 12 });
  });

  it("ignores failed, pruned and running parents, and falls back to random draws without any scored trial", async () => {
    const history: TrialRecord[] = Array.from({ length: 20 }, (_, number) => ({ number, config: { x: 1, c: number }, state: number % 2 ? "failed" : "running" }));
    expect(await ask(genetic(), history, 20)).toEqual(await ask(random(), history, 20));
    const some: TrialRecord[] = history.map((t) => (t.number === 4 ? { ...t, state: "complete", values: [1] } : t.number === 6 ? { ...t, state: "pruned" } : t));
    const sampler = new GeneticSampler({ mutationRate: 1e-9 });
    for (let seed = 0; seed < 5; seed++) expect((await ask(sampler, some, 20, seed)).c).toBe(4);
  });
});

describe("GeneticSampler text rewrites", () => {
  const space = new VariableSpace([variable.text("prompt", { default: "Answer.", candidates: ["Be brief."] }), variable.int("k", { low: 0, high: 4 })]);
  const history: TrialRecord[] = Array.from({ length: 10 }, (_, number) => ({ number, config: { prompt: number % 2 ? "Answer." : "Be brief.", k: number % 5 }, state: "complete", values: [number] }));

  it("mutates text with the rewriteText hook (seeded by a forked stream) and returns a promise", async () => {
    const calls: string[] = [];
    const sampler = new GeneticSampler({
      populationSize: 10,
      mutationRate: 1,
      rewriteText: async (text, rng) => {
        calls.push(text);
        return `${text} Rewritten ${rng.int(1, 1000)}.`;
      },
    });
    const ctx = () => ({ space, trials: history, objectives: LOSS, rng: trialRng(3, 10), trialNumber: 10 });
    const result = sampler.ask(ctx());
    expect(result).toBeInstanceOf(Promise);
    const config = (await result) as Config;
    expect(config.prompt).toMatch(/ Rewritten \d+\.$/);
    expect(calls).toHaveLength(1);
    expect(await sampler.ask(ctx())).toEqual(config);
    expect(space.validate(config).ok).toBe(true);
  });

  it("keeps the text when the rewrite returns something the variable rejects", async () => {
    const sampler = new GeneticSampler({ populationSize: 10, mutationRate: 1, rewriteText: async () => 42 as unknown as string });
    const config = await sampler.ask({ space, trials: history, objectives: LOSS, rng: trialRng(3, 10), trialNumber: 10 });
    expect(["Answer.", "Be brief."]).toContain(config.prompt);
  });
});

describe("GeneticSampler with several objectives (NSGA-II selection)", () => {
  it("finds a larger hypervolume than random search on ZDT1 (median over 7 seeds, 100 trials)", async () => {
    const hv = async (make: () => Sampler) => {
      const out: number[] = [];
      for (let seed = 0; seed < 7; seed++) {
        const trials = await runSamplerStudy({ sampler: make(), space: zdt1.space, objectives: zdt1.objectives, seed, trials: 100, evaluate: (c) => zdt1.evaluate(c) });
        out.push(hypervolume(trials.map((t) => t.values!), [1.1, 11], zdt1.objectives));
      }
      return median(out);
    };
    expect(await hv(genetic)).toBeGreaterThan((await hv(random)) + 0.2);
  });
});

describe("GeneticSampler options", () => {
  it("rejects bad options with an error naming the option, the value and what it accepts", () => {
    const bad: Array<[object, RegExp]> = [
      [{ populationSize: 1 }, /GeneticSampler: option "populationSize" must be a whole number >= 2 \(default 20\) \(got 1\)/],
      [{ crossoverRate: 1.5 }, /option "crossoverRate" must be a probability in \[0, 1\]/],
      [{ mutationRate: 0 }, /option "mutationRate" must be a probability in \(0, 1\]/],
      [{ rewriteText: "rewrite" }, /option "rewriteText" must be a function/],
      [{ elites: 2 }, /option "elites" is not an option/],
    ];
    for (const [options, message] of bad) {
      expect(() => new GeneticSampler(options as never)).toThrow(SamplerOptionError);
      expect(() => new GeneticSampler(options as never)).toThrow(message);
    }
  });
});
