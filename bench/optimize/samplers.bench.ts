// Sampler quality and speed. Quality: median simple regret (best value found minus the optimum)
// after 50 and 100 evaluations over 20 seeds, on Branin, Hartmann-6 and a mixed conditional space,
// for random search, TPE (multivariate) and the genetic sampler. Speed: ask() time with 1,000
// finished trials over 20 variables of mixed kinds.
import { createRng } from "../../lib/dspex/random";
import { GeneticSampler, RandomSampler, TpeSampler, type Objective, type Sampler, type TrialRecord } from "../../lib/dspex/samplers";
import { runSamplerStudy, trialRng } from "../../lib/dspex/testing";
import { variable, VariableSpace, type Config } from "../../lib/dspex/variables";
import { report, type Row } from "../lib/report";
import { median, quantile } from "../lib/stats";
import { branin, hartmann6, mixedConditional, type TestProblem } from "./test-functions";

const SEEDS = 20;
const BUDGETS = [50, 100] as const;
const LOSS: readonly Objective[] = [{ name: "loss", direction: "minimize" }];

const SAMPLERS: ReadonlyArray<{ name: string; make: () => Sampler }> = [
  { name: "random", make: () => new RandomSampler() },
  { name: "tpe", make: () => new TpeSampler() },
  { name: "genetic", make: () => new GeneticSampler() },
];

/** Simple regret per budget and seed, and how many runs ended with their best in the best branch. */
async function regrets(problem: TestProblem, make: () => Sampler): Promise<{ regret: number[][]; inBestBranch: number }> {
  const regret: number[][] = BUDGETS.map(() => []);
  let inBestBranch = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const trials = await runSamplerStudy({ sampler: make(), space: problem.space, objectives: LOSS, seed, trials: BUDGETS[BUDGETS.length - 1]!, evaluate: (c) => problem.evaluate(c) });
    BUDGETS.forEach((budget, b) => {
      const best = trials.slice(0, budget).reduce((x, y) => (y.values![0]! < x.values![0]! ? y : x));
      regret[b]!.push(best.values![0]! - problem.optimum);
      if (b === BUDGETS.length - 1 && problem.inBestBranch?.(best.config)) inBestBranch++;
    });
  }
  return { regret, inBestBranch };
}

async function quality(): Promise<void> {
  const rows: Row[] = [];
  const ratios: Record<string, number> = {};
  for (const problem of [branin, hartmann6, mixedConditional]) {
    const medians: Record<string, number[]> = {};
    for (const s of SAMPLERS) {
      const t0 = performance.now();
      const { regret: r, inBestBranch } = await regrets(problem, s.make);
      medians[s.name] = r.map(median);
      rows.push({
        problem: problem.name,
        sampler: s.name,
        "regret@50 (median)": round(median(r[0]!)),
        "regret@100 (median)": round(median(r[1]!)),
        "regret@100 (p25)": round(quantile([...r[1]!].sort((a, b) => a - b), 0.25)),
        "regret@100 (p75)": round(quantile([...r[1]!].sort((a, b) => a - b), 0.75)),
        "s/run": Number(((performance.now() - t0) / 1000 / SEEDS).toFixed(3)),
        ...(problem.inBestBranch ? { "best in optimal branch": `${inBestBranch}/${SEEDS}` } : {}),
      });
    }
    ratios[problem.name] = medians.tpe![1]! / medians.random![1]!;
  }
  for (const row of rows) if (row.sampler !== "random") row["vs random @100"] = Number((Number(row["regret@100 (median)"]) / Number(rows.find((r) => r.problem === row.problem && r.sampler === "random")!["regret@100 (median)"])).toFixed(3));
  await report("optimize-samplers-regret", rows, {
    seeds: SEEDS,
    budgets: BUDGETS,
    goal: "TPE median regret at 100 evaluations on Hartmann-6 at most half of random's",
    hartmann6TpeOverRandom: ratios[hartmann6.name],
    goalMet: (ratios[hartmann6.name] ?? 1) <= 0.5,
  });
  console.log(`Hartmann-6: TPE / random median regret at 100 evaluations = ${ratios[hartmann6.name]!.toFixed(3)} (goal <= 0.5)`);
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** 20 variables: 7 floats (one log, one stepped), 5 ints (one log), 3 choices, 2 booleans, text, demos, module. */
export function speedSpace(): VariableSpace {
  const demo = (q: string) => ({ question: q, answer: q });
  return new VariableSpace([
    ...Array.from({ length: 4 }, (_, i) => variable.float(`f${i}`, { low: -5, high: 5 })),
    variable.float("logF", { low: 1e-6, high: 1, log: true }),
    variable.float("stepF", { low: 0, high: 1, step: 0.05 }),
    ...Array.from({ length: 4 }, (_, i) => variable.int(`i${i}`, { low: 0, high: 50 + 10 * i })),
    variable.int("logI", { low: 1, high: 4096, log: true }),
    ...Array.from({ length: 3 }, (_, i) => variable.choice(`c${i}`, { choices: Array.from({ length: 3 + 2 * i }, (_, j) => `opt${j}`) })),
    variable.boolean("b0"),
    variable.boolean("b1"),
    variable.float("f4", { low: 0, high: 100 }),
    variable.text("instructions", { default: "Answer.", candidates: ["Answer briefly.", "Think first.", "Be precise.", "Cite facts."] }),
    variable.demos("demos", { candidates: [[demo("a")], [demo("b"), demo("c")], [demo("d")], []], max: 3 }),
    variable.module("module", { choices: ["predict", "chain-of-thought"] }),
  ]);
}

function speedHistory(space: VariableSpace, n: number): TrialRecord[] {
  const rng = createRng(123);
  return Array.from({ length: n }, (_, number) => {
    const config: Config = space.sample(rng);
    const value = Object.values(config).reduce<number>((s, v) => s + (typeof v === "number" ? Math.abs(v) % 1 : typeof v === "string" ? v.length % 3 : 0.5), 0);
    return { number, config, state: "complete", values: [value], evaluation: number % 10 === 0 ? "full" : "minibatch" };
  });
}

async function speed(): Promise<void> {
  const space = speedSpace();
  const trials = speedHistory(space, 1000);
  const asks = 200;
  const rows: Row[] = [];
  const variants: ReadonlyArray<{ name: string; sampler: Sampler }> = [
    { name: "random", sampler: new RandomSampler() },
    { name: "tpe (multivariate)", sampler: new TpeSampler() },
    { name: "tpe (univariate)", sampler: new TpeSampler({ multivariate: false }) },
    { name: "genetic", sampler: new GeneticSampler() },
  ];
  for (const { name, sampler } of variants) {
    const ask = (i: number) => sampler.ask({ space, trials, objectives: LOSS, rng: trialRng(i, 1000), trialNumber: 1000 });
    for (let i = 0; i < 20; i++) await ask(10_000 + i); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < asks; i++) {
      const t0 = performance.now();
      await ask(i);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    rows.push({ sampler: name, trials: trials.length, variables: space.size, asks, "median ms": Number(median(ms).toFixed(3)), "p95 ms": Number(quantile(ms, 0.95).toFixed(3)) });
  }
  await report("optimize-samplers-speed", rows, { goal: "TPE ask() under 5 ms with 1,000 finished trials over 20 variables" });
}

export async function run(): Promise<void> {
  await speed();
  await quality();
}

/** Only the speed table (npm run bench -- optimize runs both). */
export async function runSpeed(): Promise<void> {
  await speed();
}
