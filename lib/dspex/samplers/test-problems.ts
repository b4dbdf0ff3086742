// Small deterministic problems with known optima, for the samplers' tests: each is minimized and
// its optimum is 0 (the regret of a trial is its value). Not exported from the folder's index.
import { runSamplerStudy } from "../testing/sampler-study";
import { variable, VariableSpace, type Config } from "../variables";
import type { Objective, Sampler } from "./types";

export interface Problem {
  readonly space: VariableSpace;
  evaluate(config: Config): number;
}

export const LOSS: readonly Objective[] = [{ name: "loss", direction: "minimize" }];

const num = (c: Config, name: string) => c[name] as number;

/** (x - 1)^2 + (y + 2)^2 on [-5, 5]^2. */
export const quadratic: Problem = {
  space: new VariableSpace([variable.float("x", { low: -5, high: 5 }), variable.float("y", { low: -5, high: 5 })]),
  evaluate: (c) => (num(c, "x") - 1) ** 2 + (num(c, "y") + 2) ** 2,
};

const OPTIONS = ["o0", "o1", "o2", "o3", "o4", "o5"];

/** Three choices of six options: one point per wrong choice (best "o4", "o1", "o5"), plus a small float term. */
export const categorical: Problem = {
  space: new VariableSpace([
    variable.choice("a", { choices: OPTIONS }),
    variable.choice("b", { choices: OPTIONS }),
    variable.choice("c", { choices: OPTIONS }),
    variable.float("x", { low: 0, high: 1 }),
  ]),
  evaluate: (c) => (c.a === "o4" ? 0 : 1) + (c.b === "o1" ? 0 : 1) + (c.c === "o5" ? 0 : 1) + 0.1 * (num(c, "x") - 0.3) ** 2,
};

const onBranch = (name: string) => ({ variable: "branch", in: [name] });

/** A branch choice: only branch "a" (u = 0.3, w = 0.6) reaches 0; "c", "d" and "b" bottom out at 0.3, 0.4 and 0.5. */
export const conditional: Problem = {
  space: new VariableSpace([
    variable.choice("branch", { choices: ["c", "b", "a", "d"] }),
    variable.float("u", { low: 0, high: 1, condition: onBranch("a") }),
    variable.float("w", { low: 0, high: 1, condition: onBranch("a") }),
    variable.int("n", { low: 1, high: 20, condition: onBranch("b") }),
    variable.float("v", { low: 0, high: 1, condition: onBranch("c") }),
    variable.float("z", { low: 0, high: 1, condition: onBranch("d") }),
  ]),
  evaluate(c) {
    if (c.branch === "a") return 4 * (num(c, "u") - 0.3) ** 2 + 4 * (num(c, "w") - 0.6) ** 2;
    if (c.branch === "b") return 0.5 + Math.abs(num(c, "n") - 7) / 20;
    if (c.branch === "c") return 0.3 + num(c, "v") ** 2;
    return 0.4 + (num(c, "z") - 0.5) ** 2;
  },
};

/** A learning rate on a log scale whose optimum is 1e-3 (the default is 10^-3.5), plus a float. */
export const logScale: Problem = {
  space: new VariableSpace([variable.float("lr", { low: 1e-7, high: 1, log: true }), variable.float("x", { low: 0, high: 1, default: 0 })]),
  evaluate: (c) => (Math.log10(num(c, "lr")) + 3) ** 2 + (num(c, "x") - 0.5) ** 2,
};

/** The best value after `budget` trials, for each of `seeds` seeds. */
export async function bestValues(make: () => Sampler, problem: Problem, budget: number, seeds = 9): Promise<number[]> {
  const out: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const trials = await runSamplerStudy({ sampler: make(), space: problem.space, objectives: LOSS, seed, trials: budget, evaluate: (c) => problem.evaluate(c) });
    out.push(Math.min(...trials.map((t) => t.values![0]!)));
  }
  return out;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** ZDT1 with three variables: two minimized objectives with a convex front f2 = 1 - sqrt(f1). */
export const zdt1 = {
  space: new VariableSpace([variable.float("x1", { low: 0, high: 1 }), variable.float("x2", { low: 0, high: 1 }), variable.float("x3", { low: 0, high: 1 })]),
  objectives: [
    { name: "f1", direction: "minimize" },
    { name: "f2", direction: "minimize" },
  ] as readonly Objective[],
  evaluate(c: Config): [number, number] {
    const f1 = num(c, "x1");
    const g = 1 + (9 * (num(c, "x2") + num(c, "x3"))) / 2;
    return [f1, g * (1 - Math.sqrt(f1 / g))];
  },
};
