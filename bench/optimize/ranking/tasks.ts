// The tasks the optimizer ranking runs on: the routing family (generated per seed) and the three
// older demo tasks, each split per seed into training, validation and test examples. Both
// frameworks get the same examples, the same student and teacher models, the same demo cap and
// the same temperature.
import { ax, f, type AxMetricFn } from "@ax-llm/ax";
import { ROUTING_LABELS } from "../../../lib/dspex/demo-lm";
import { arithmeticTask, classifyTask, generateArithmeticDataset, generateRoutingDataset, qaTask, routingTask, TICKET_CATEGORIES, type DemoTask } from "../../../lib/dspex/demos";
import type { Example } from "../../../lib/dspex/evaluate";
import { createRng } from "../../../lib/dspex/random";
import type { AxProgram } from "./ax-runs";

export const STUDENT = "dspex-demo-mini";
export const TEACHER = "dspex-demo-large";
/** Demos a step may hold, for both frameworks (Ax's bootstrap keeps 4). */
export const DEMO_CAP = 4;
export const TEMPERATURE = 0;

export interface Splits {
  readonly train: readonly Example[];
  readonly val: readonly Example[];
  readonly test: readonly Example[];
}

export interface RankingTask {
  readonly name: string;
  readonly task: DemoTask;
  readonly module: "predict" | "chain-of-thought";
  splits(seed: number): Splits;
  /** The same program in Ax: same fields, descriptions, labels and one-line instruction. */
  axProgram(): AxProgram;
  axMetric(): AxMetricFn;
}

function shuffledSplits(all: readonly Example[], seed: number, sizes: { train: number; val: number; test: number }): Splits {
  const order = createRng(seed).fork("ranking-split").shuffle([...all]);
  return { train: order.slice(0, sizes.train), val: order.slice(sizes.train, sizes.train + sizes.val), test: order.slice(sizes.train + sizes.val, sizes.train + sizes.val + sizes.test) };
}

function metricOf(task: DemoTask): AxMetricFn {
  const outputNames = task.signature.outputs.map((field) => field.name);
  return ({ prediction, example }) => {
    const outputs = Object.fromEntries(outputNames.map((name) => [name, example[name]]));
    return task.metric({ inputs: {}, outputs }, (prediction ?? {}) as Record<string, unknown>);
  };
}

function withInstruction(program: AxProgram, instruction: string): AxProgram {
  program.setInstruction(instruction);
  return program;
}

function routingProgram(): AxProgram {
  const queue = f.class(Object.keys(ROUTING_LABELS)).describeValues({ ...ROUTING_LABELS });
  return withInstruction(ax(f().input("ticket", f.string("A customer's support ticket.")).output("queue", queue).build()) as unknown as AxProgram, routingTask.signature.instructions);
}

function classifyProgram(): AxProgram {
  const category = f.class(Object.keys(TICKET_CATEGORIES)).describeValues({ ...TICKET_CATEGORIES });
  return withInstruction(ax(f().input("ticket", f.string("A customer's support ticket.")).output("category", category).build()) as unknown as AxProgram, classifyTask.signature.instructions);
}

export const RANKING_TASKS: readonly RankingTask[] = [
  {
    name: "routing",
    task: routingTask,
    module: "predict",
    splits: (seed) => {
      const d = generateRoutingDataset({ seed: 100 + seed, train: 40, validation: 30, test: 150 });
      return { train: d.train, val: d.validation, test: d.test };
    },
    axProgram: routingProgram,
    axMetric: () => metricOf(routingTask),
  },
  {
    name: "classify",
    task: classifyTask,
    module: "predict",
    splits: (seed) => shuffledSplits([...classifyTask.dataset.train, ...classifyTask.dataset.validation], seed, { train: 30, val: 20, test: 30 }),
    axProgram: classifyProgram,
    axMetric: () => metricOf(classifyTask),
  },
  {
    name: "qa",
    task: qaTask,
    module: "predict",
    splits: (seed) => shuffledSplits([...qaTask.dataset.train, ...qaTask.dataset.validation], seed, { train: 20, val: 20, test: 20 }),
    axProgram: () => {
      const program = ax(`context:string "A passage about DSPEx.", question:string "A question about the passage." -> answer:string "The answer."`) as unknown as AxProgram;
      program.setInstruction(qaTask.signature.instructions);
      return program;
    },
    axMetric: () => metricOf(qaTask),
  },
  {
    name: "arithmetic",
    task: arithmeticTask,
    module: "chain-of-thought",
    splits: (seed) => {
      const records = generateArithmeticDataset(7_000 + seed, 170).examples;
      const all = records.map((r) => ({ id: r.id, inputs: r.inputs, outputs: r.outputs }) as Example);
      return shuffledSplits(all, seed, { train: 40, val: 30, test: 100 });
    },
    axProgram: () => {
      const program = ax(`problem:string "A short word problem about whole quantities." -> reasoning:string "Think step by step: the reasoning that leads to the outputs.", answer:number "The final quantity, as a number."`) as unknown as AxProgram;
      program.setInstruction(arithmeticTask.signature.instructions);
      return program;
    },
    axMetric: () => metricOf(arithmeticTask),
  },
];
