// Standard test functions for samplers (minimized; each with its known optimum) and a mixed
// conditional space built for DSPEx: a choice opens one of three sub-spaces of floats, ints, a log
// float and categoricals, plus shared variables.
import { variable, VariableSpace, type Config } from "../../lib/dspex/variables";

export interface TestProblem {
  readonly name: string;
  readonly space: VariableSpace;
  readonly optimum: number;
  evaluate(config: Config): number;
  /** Conditional problems: whether a configuration lies in the branch holding the optimum. */
  inBestBranch?(config: Config): boolean;
}

const num = (config: Config, name: string): number => config[name] as number;

export const branin: TestProblem = {
  name: "branin (2-D)",
  space: new VariableSpace([variable.float("x1", { low: -5, high: 10 }), variable.float("x2", { low: 0, high: 15 })]),
  optimum: 0.397887357729738,
  evaluate(config) {
    const x1 = num(config, "x1");
    const x2 = num(config, "x2");
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

export const hartmann6: TestProblem = {
  name: "hartmann-6 (6-D)",
  space: new VariableSpace(Array.from({ length: 6 }, (_, j) => variable.float(`x${j + 1}`, { low: 0, high: 1 }))),
  optimum: -3.322368011415515,
  evaluate(config) {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i]![j]! * (num(config, `x${j + 1}`) - H_P[i]![j]!) ** 2;
      total += H_ALPHA[i]! * Math.exp(-inner);
    }
    return -total;
  },
};

const branch = (...names: string[]) => ({ variable: "model", in: names });

/** Optimum 0: model "net" with 3 layers of width 128, dropout 0.2, gelu, learning rate 1e-2, batch 64. */
export const mixedConditional: TestProblem = {
  name: "mixed conditional (12 variables)",
  space: new VariableSpace([
    variable.choice("model", { choices: ["linear", "tree", "net"] }),
    variable.float("learningRate", { low: 1e-5, high: 1, log: true }),
    variable.int("batch", { low: 8, high: 256, step: 8 }),
    variable.float("alpha", { low: 1e-6, high: 1, log: true, condition: branch("linear") }),
    variable.choice("penalty", { choices: ["l1", "l2", "elastic"], condition: branch("linear") }),
    variable.int("depth", { low: 1, high: 20, condition: branch("tree") }),
    variable.float("subsample", { low: 0.1, high: 1, condition: branch("tree") }),
    variable.int("layers", { low: 1, high: 6, condition: branch("net") }),
    variable.int("width", { low: 8, high: 1024, log: true, condition: branch("net") }),
    variable.float("dropout", { low: 0, high: 0.8, step: 0.05, condition: branch("net") }),
    variable.choice("activation", { choices: ["relu", "tanh", "gelu", "sigmoid"], condition: branch("net") }),
    variable.boolean("batchNorm", { condition: branch("net") }),
  ]),
  optimum: 0,
  inBestBranch: (config) => config.model === "net",
  evaluate(config) {
    const shared = 0.02 * (Math.log10(num(config, "learningRate")) + 2) ** 2 + 0.1 * ((num(config, "batch") - 64) / 248) ** 2;
    if (config.model === "linear") return shared + 0.3 + 0.02 * (Math.log10(num(config, "alpha")) + 3) ** 2 + (config.penalty === "l2" ? 0 : 0.1);
    if (config.model === "tree") return shared + 0.2 + 0.004 * (num(config, "depth") - 7) ** 2 + 0.3 * (num(config, "subsample") - 0.8) ** 2;
    return (
      shared +
      0.05 * (num(config, "layers") - 3) ** 2 +
      0.03 * (Math.log2(num(config, "width")) - 7) ** 2 +
      (num(config, "dropout") - 0.2) ** 2 +
      (config.activation === "gelu" ? 0 : config.activation === "relu" ? 0.05 : 0.15) +
      (config.batchNorm === true ? 0 : 0.05)
    );
  },
};
