// Ax's optimizers in the ranking: AxBootstrapFewShot, AxGEPA and Ax's optimize() (bootstrap then
// GEPA), with the student and the teacher models, the demo cap and the temperature DSPEx gets,
// on the same data. Follows /work/shared/notes/ax-peer.md: a one-line instruction on every
// program, bootstrap options given explicitly, a 16-example bootstrap set (Ax shows the other
// training examples while bootstrapping), Math.random seeded per run. Ax has no call budget of
// its own: GEPA's metric-call budget is set so that metric and reflection calls fit the budget,
// and the calls are counted at the server either way.
import { AxBootstrapFewShot, AxGEPA, ai, optimize, type AxAIOpenAIModel, type AxAIService, type AxMetricFn, type AxOptimizedProgram } from "@ax-llm/ax";
import type { Example } from "../../../lib/dspex/evaluate";
import type { AxGen, AxGenIn, AxGenOut } from "@ax-llm/ax";
import { DEMO_CAP, STUDENT, TEACHER, TEMPERATURE, type RankingTask, type Splits } from "./tasks";

export type AxProgram = AxGen<AxGenIn, AxGenOut>;
/** One example as Ax takes it: inputs and outputs in one flat object. */
export type AxExample = AxGenIn;

/**
 * GEPA's metric-call budget so that metric calls plus its reflection calls stay within
 * `maxLMCalls`: an iteration scores the parent and the child on a minibatch (2m metric calls) and
 * makes about 2 reflection calls; the first validation pass (V) has none: L = M + 2 (M - V) / 2m.
 */
export function gepaMetricCalls(maxLMCalls: number, validationSize: number, minibatch = GEPA_MINIBATCH): number {
  return Math.floor((maxLMCalls * minibatch + validationSize) / (minibatch + 1));
}

const BOOTSTRAP_TRAIN = 16;
const GEPA_MINIBATCH = 3;

export const AX_OPTIMIZERS = ["AxBootstrapFewShot", "AxGEPA", "Ax optimize()"] as const;
export type AxOptimizerName = (typeof AX_OPTIMIZERS)[number];

/** A small seeded generator (mulberry32) to stand in for Math.random. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function axClient(baseURL: string, model: string): AxAIService {
  return ai({ name: "openai", apiKey: "local", apiURL: baseURL, config: { model: model as AxAIOpenAIModel, stream: false, temperature: TEMPERATURE } });
}

const toAx = (e: Example): AxExample => ({ ...e.inputs, ...e.outputs }) as AxExample;

/** Mean metric of an Ax program over examples (concurrency 4). */
export async function axScore(program: AxProgram, llm: AxAIService, examples: readonly Example[], metric: AxMetricFn, inputNames: readonly string[]): Promise<number> {
  const scores = new Array<number>(examples.length).fill(0);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < examples.length; i = next++) {
      const example = toAx(examples[i]!);
      const inputs = Object.fromEntries(inputNames.map((n) => [n, example[n]!])) as AxExample;
      try {
        scores[i] = Number(await metric({ prediction: await program.forward(llm, inputs), example }));
      } catch {
        scores[i] = 0;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, examples.length) }, worker));
  return scores.reduce((a, b) => a + b, 0) / Math.max(1, examples.length);
}

function apply(program: AxProgram, optimized: AxOptimizedProgram | undefined): void {
  if (optimized) program.applyOptimization(optimized);
}

/**
 * Compiles the task's Ax program with one optimizer under a budget of `calls` LM calls. Returns
 * the compiled program, or undefined when the optimizer's first step does not fit the budget.
 */
export async function runAxOptimizer(name: AxOptimizerName, args: { task: RankingTask; splits: Splits; baseURL: string; calls: number; seed: number }): Promise<AxProgram | undefined> {
  const student = axClient(args.baseURL, STUDENT);
  const teacher = axClient(args.baseURL, TEACHER);
  const program = args.task.axProgram();
  const metric = args.task.axMetric();
  const train = args.splits.train.map(toAx);
  const validation = args.splits.val.map(toAx);
  const V = validation.length;
  const L = args.calls;
  const bootstrapTrain = train.slice(0, BOOTSTRAP_TRAIN);
  const bootstrapOptions = { maxDemos: DEMO_CAP, maxExamples: bootstrapTrain.length, verboseMode: false };
  const gepaArgs = { studentAI: student, teacherAI: teacher, seed: args.seed, minibatchSize: GEPA_MINIBATCH, numTrials: L, earlyStoppingTrials: L, paretoSetSize: V, verbose: false };
  const original = Math.random;
  Math.random = seededRandom(args.seed);
  try {
    switch (name) {
      case "AxBootstrapFewShot": {
        const options = { ...bootstrapOptions, maxRounds: Math.max(1, Math.floor(L / bootstrapTrain.length)) };
        const result = await new AxBootstrapFewShot({ studentAI: student, teacherAI: teacher, seed: args.seed, options }).compile(program, bootstrapTrain, metric);
        if (result.demos) program.setDemos(result.demos);
        return program;
      }
      case "AxGEPA": {
        const maxMetricCalls = gepaMetricCalls(L, V);
        if (maxMetricCalls < V + 2 * GEPA_MINIBATCH) return undefined;
        const result = await new AxGEPA(gepaArgs).compile(program, train, metric, { validationExamples: validation, maxMetricCalls });
        apply(program, result.optimizedProgram);
        return program;
      }
      case "Ax optimize()": {
        const maxMetricCalls = gepaMetricCalls(L - bootstrapTrain.length, V);
        if (maxMetricCalls < V + 2 * GEPA_MINIBATCH) return undefined;
        const result = await optimize(program, bootstrapTrain, metric, { ...gepaArgs, validationExamples: validation, maxMetricCalls, bootstrap: { ...bootstrapOptions, maxRounds: 1, teacherAI: teacher } });
        apply(program, result.optimizedProgram);
        return program;
      }
    }
  } finally {
    Math.random = original;
  }
}
