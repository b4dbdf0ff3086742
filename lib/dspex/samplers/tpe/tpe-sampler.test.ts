import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { runSamplerStudy, trialRng } from "../../testing";
import { variable, VariableSpace, type Config } from "../../variables";
import { hypervolume, RandomSampler, SamplerOptionError, TpeSampler, type TrialRecord } from "../index";
import { bestValues, categorical, conditional, logScale, LOSS, median, quadratic, zdt1, type Problem } from "../test-problems";

const random = () => new RandomSampler();
const tpe = () => new TpeSampler();

async function medians(problem: Problem, budget: number, ...makers: Array<() => RandomSampler | TpeSampler>): Promise<number[]> {
  return Promise.all(makers.map(async (make) => median(await bestValues(make, problem, budget, 15))));
}

// Regret = best value found (every optimum is 0). Calibrated medians over 15 seeds at 60 trials,
// random / TPE: quadratic 0.60 / 0.025 (univariate 0.030); categorical 1.0 / 1.5e-6; conditional
// 0.069 / 0.0026; log scale 0.018 / 0.0023.
describe("TpeSampler beats random search at equal budgets (median regret over 15 seeds, 60 trials)", () => {
  it("on a 2-D quadratic, multivariate and univariate", async () => {
    const [r, t, u] = await medians(quadratic, 60, random, tpe, () => new TpeSampler({ multivariate: false }));
    expect(t!).toBeLessThan(r! / 5);
    expect(u!).toBeLessThan(r! / 3);
  });

  it("on categoricals with one best choice each", async () => {
    const [r, t] = await medians(categorical, 60, random, tpe);
    expect(r!).toBeGreaterThan(0.5);
    expect(t!).toBeLessThan(0.1);
  });

  it("on a conditional space where the best needs the right parent value", async () => {
    const [r, t] = await medians(conditional, 60, random, tpe);
    expect(t!).toBeLessThan(r! / 5);
  });

  it("on a log-scale variable whose optimum is 1e-3", async () => {
    const [r, t] = await medians(logScale, 60, random, tpe);
    expect(t!).toBeLessThan(r! / 3);
  });
});

describe("TpeSampler on conditional spaces", () => {
  it("proposes only active variables, and settles on the branch that holds the optimum", async () => {
    const open: Record<string, string[]> = { a: ["u", "w"], b: ["n"], c: ["v"], d: ["z"] };
    let late = 0;
    for (let seed = 0; seed < 5; seed++) {
      const trials = await runSamplerStudy({ sampler: tpe(), space: conditional.space, objectives: LOSS, seed, trials: 80, evaluate: (c) => conditional.evaluate(c) });
      for (const t of trials) expect(Object.keys(t.config).sort()).toEqual(["branch", ...open[t.config.branch as string]!].sort());
      late += trials.slice(-20).filter((t) => t.config.branch === "a").length;
    }
    // Random search would put a quarter of them (25 of 100) on branch "a".
    expect(late).toBeGreaterThanOrEqual(60);
  });

  it("draws a branch at random when no past trial ever had it open", async () => {
    const history: TrialRecord[] = Array.from({ length: 20 }, (_, number) => ({ number, config: { branch: "b", n: 1 + (number % 20) }, state: "complete", values: [number] }));
    // Only branch "b" was ever tried: the branch choice still has its prior, and branches never
    // opened get their variables drawn at random.
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const config = await tpe().ask({ space: conditional.space, trials: history, objectives: LOSS, rng: trialRng(seed, 20), trialNumber: 20 });
      expect(conditional.space.validate(config).ok).toBe(true);
      seen.add(config.branch as string);
      if (config.branch === "a") expect([typeof config.u, typeof config.w]).toEqual(["number", "number"]);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe("TpeSampler details", () => {
  const space = new VariableSpace([variable.float("x", { low: 0, high: 1 }), variable.choice("c", { choices: ["p", "q", "r"] })]);
  const history = (n: number, state: TrialRecord["state"] = "complete"): TrialRecord[] => {
    const rng = createRng(77);
    return Array.from({ length: n }, (_, number) => {
      const config = space.sample(rng);
      return state === "complete" ? { number, config, state, values: [Math.abs((config.x as number) - 0.7)] } : { number, config, state };
    });
  };
  const ask = (sampler: TpeSampler | RandomSampler, trials: readonly TrialRecord[], seed: number) =>
    sampler.ask({ space, trials, objectives: LOSS, rng: trialRng(seed, trials.length), trialNumber: trials.length });

  it("draws at random until nStartupTrials trials are complete; failed and pruned trials do not count", async () => {
    const few = history(9);
    expect(await ask(tpe(), few, 1)).toEqual(await ask(random(), few, 1));
    const withFailures = [...history(30, "failed"), ...history(30, "pruned")].map((t, number) => ({ ...t, number }));
    const mixed = [...withFailures, ...few.map((t, i) => ({ ...t, number: 60 + i }))];
    expect(await ask(tpe(), mixed, 1)).toEqual(await ask(random(), mixed, 1));
    expect(await ask(tpe(), history(10), 1)).not.toEqual(await ask(random(), history(10), 1));
  });

  it("counts running trials as bad (constant liar), so parallel asks differ", async () => {
    const done = history(30);
    let differ = 0;
    for (let seed = 0; seed < 8; seed++) {
      const first = (await ask(tpe(), done, seed)) as Config;
      const withRunning: TrialRecord[] = [...done, { number: 30, config: first, state: "running" }];
      const second = await tpe().ask({ space, trials: withRunning, objectives: LOSS, rng: trialRng(seed, 30), trialNumber: 31 });
      if (second.x !== first.x) differ++;
      const ignoring = await new TpeSampler({ constantLiar: false }).ask({ space, trials: withRunning, objectives: LOSS, rng: trialRng(seed, 30), trialNumber: 31 });
      expect(ignoring).toEqual(first);
    }
    expect(differ).toBeGreaterThanOrEqual(6);
  });

  it("treats text values outside the candidates as categories of their own; closed choices ignore unknown values", async () => {
    const s = new VariableSpace([
      variable.text("prompt", { default: "Answer.", candidates: ["Be brief.", "Be precise."] }),
      variable.choice("tone", { choices: ["plain", "warm"] }),
    ]);
    const prompts = ["Answer.", "Be brief.", "Be precise.", "Written by another optimizer."];
    // The outside prompt was used 4 times and scored best each time; a retired tone appears too.
    const trials: TrialRecord[] = Array.from({ length: 40 }, (_, number) => {
      const prompt = number % 10 === 3 ? prompts[3]! : prompts[number % 3]!;
      const tone = number % 7 === 0 ? "retired tone" : Math.floor(number / 2) % 2 ? "plain" : "warm";
      return { number, config: { prompt, tone }, state: "complete", values: [prompt === prompts[3] ? 0 : 1 + (number % 3)] };
    });
    let outside = 0;
    for (let seed = 0; seed < 10; seed++) {
      const config = await tpe().ask({ space: s, trials, objectives: LOSS, rng: trialRng(seed, 40), trialNumber: 40 });
      expect(s.validate(config).ok).toBe(true);
      expect(["plain", "warm"]).toContain(config.tone);
      if (config.prompt === prompts[3]) outside++;
    }
    expect(outside).toBeGreaterThanOrEqual(7);
  });

  it("weighs full evaluations more when weightFullEvaluations > 1", async () => {
    // Two equally good regions: x near 0.2 (full evaluations) and near 0.8 (minibatches).
    const trials: TrialRecord[] = Array.from({ length: 40 }, (_, number) => {
      const good = number < 10;
      const x = good ? (number % 2 ? 0.2 : 0.8) + (number % 5) * 0.004 : 0.5 + ((number * 7) % 10) / 100 - 0.05;
      return { number, config: { x, c: "p" }, state: "complete", values: [good ? 0 : 1], evaluation: good && number % 2 ? "full" : "minibatch" };
    });
    const nearFull = async (sampler: TpeSampler) => {
      let count = 0;
      for (let seed = 0; seed < 30; seed++) if (Math.abs(((await ask(sampler, trials, seed)) as Config).x as number) < 0.5) count++;
      return count;
    };
    expect(await nearFull(new TpeSampler({ weightFullEvaluations: 20 }))).toBeGreaterThan((await nearFull(tpe())) + 5);
  });

  it("accepts gamma as a fraction or a function", async () => {
    const trials = history(40);
    for (const gamma of [0.25, (n: number) => Math.ceil(n / 5)]) expect(space.validate(await ask(new TpeSampler({ gamma }), trials, 2)).ok).toBe(true);
    await expect(async () => ask(new TpeSampler({ gamma: () => Number.NaN }), trials, 2)).rejects.toThrow(/gamma.*must return a number of good trials/);
  });

  it("rejects bad options with an error naming the option, the value and what it accepts", () => {
    const bad: Array<[object, RegExp]> = [
      [{ nStartupTrials: -1 }, /TpeSampler: option "nStartupTrials" must be a whole number >= 0 \(default 10\) \(got -1\)/],
      [{ nEiCandidates: 2.5 }, /option "nEiCandidates" must be a whole number >= 1/],
      [{ gamma: 2 }, /option "gamma" must be a fraction in \(0, 1\] or a function/],
      [{ priorWeight: -1 }, /option "priorWeight" must be a number >= 0/],
      [{ multivariat: false }, /option "multivariat" is not an option; options: nStartupTrials, nEiCandidates/],
    ];
    for (const [options, message] of bad) {
      const err = (() => {
        try {
          new TpeSampler(options as never);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(SamplerOptionError);
      expect((err as SamplerOptionError).code).toBe("OPTION_INVALID");
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe("TpeSampler with several objectives (MOTPE)", () => {
  it("finds a larger hypervolume than random search on ZDT1 (median over 7 seeds)", async () => {
    const hv = async (make: () => TpeSampler | RandomSampler) => {
      const out: number[] = [];
      for (let seed = 0; seed < 7; seed++) {
        const trials = await runSamplerStudy({ sampler: make(), space: zdt1.space, objectives: zdt1.objectives, seed, trials: 80, evaluate: (c) => zdt1.evaluate(c) });
        out.push(hypervolume(trials.map((t) => t.values!), [1.1, 11], zdt1.objectives));
      }
      return median(out);
    };
    const [r, t] = [await hv(random), await hv(tpe)];
    expect(t).toBeGreaterThan(r + 0.2);
  });
});
