// The Ax side of the optimizer benchmark: Ax's own optimizers (AxBootstrapFewShot, AxGEPA and
// optimize()) on a bundled demo task, against the same OpenAI-compatible LM server, data, metric
// and budget (in LM calls) as DSPEx's optimizers. Follows /work/shared/notes/ax-peer.md:
//   - every program has a one-line instruction (the task's), or GEPA proposes nothing;
//   - reasoning, where used, is a plain output field (an internal one is never shown yet parsed);
//   - optimize() gets its bootstrap options explicitly (it skips bootstrapping above 8 examples);
//   - AxBootstrapFewShot (alone and inside optimize()) gets 16 training examples: it puts all the
//     other training examples into every prompt while bootstrapping;
//   - Math.random is seeded per phase (Ax samples with it) and restored afterwards.
// LM calls are what the server received: a counting fetch under Ax's OpenAI client counts every
// POST to .../chat/completions (retries included), for the optimizer's compile phase only.
import { AxBootstrapFewShot, AxGEPA, ai, optimize, type AxAIOpenAIModel, type AxAIService, type AxMetricFn, type AxOptimizedProgram } from "@ax-llm/ax";
import { z } from "zod";
import { type AxExample, type AxModuleKind, type AxProgram, axMetric, axTaskProgram, benchTask, toAxExample } from "./ax-programs";

export const AxOptimizerBenchOptionsSchema = z.object({
  /** The OpenAI-compatible endpoint, e.g. serveLM(createDemoLM()).baseURL ("http://127.0.0.1:PORT/v1"). */
  baseURL: z.string().url(),
  task: z.enum(["qa", "classify", "arithmetic"]),
  /** Budget per optimizer, in LM calls during its compile phase (scoring not included). */
  maxLMCalls: z.number().int().min(1),
  /** Seeds Math.random (per phase) and the optimizers' own generators. */
  seed: z.number().int(),
  /** The model named in every request (default "dspex-demo-1"). */
  model: z.string().min(1).default("dspex-demo-1"),
  /** Default: "chain-of-thought" (a reasoning field) for arithmetic, "predict" for qa and classify. */
  module: z.enum(["predict", "chain-of-thought"]).optional(),
  /** Validation examples scored at once (default 4). */
  concurrency: z.number().int().min(1).default(4),
});
export type AxOptimizerBenchOptions = z.input<typeof AxOptimizerBenchOptionsSchema>;

export interface AxOptimizerResult {
  readonly optimizer: string;
  /** Mean task metric of the unoptimized program on the task's validation set. */
  readonly baselineScore: number;
  /** The same, after applying the optimizer's result. */
  readonly optimizedScore: number;
  /** Chat-completion requests the server received while the optimizer compiled. */
  readonly lmCalls: number;
  /** Wall time of the compile phase. */
  readonly seconds: number;
  /** Set when the optimizer threw; optimizedScore is then the unchanged program's. */
  readonly error?: string;
}

/** AxBootstrapFewShot's (and optimize()'s bootstrap) training set size and demo count. */
const BOOTSTRAP_TRAIN = 16;
const BOOTSTRAP_DEMOS = 4;
/** GEPA's minibatch: the GEPA reference default, which DSPEx's GEPA also uses (Ax's own is 20). */
const GEPA_MINIBATCH = 3;

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

/** fetch that counts the chat-completion requests it sends. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  const counted: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith("/chat/completions")) count++;
    return fetch(input, init);
  };
  return { fetch: counted, count: () => count };
}

/** GEPA's metric-call budget so that metric calls plus its two reflection calls per iteration stay within maxLMCalls. */
export function gepaMetricCalls(maxLMCalls: number, validationSize: number, minibatch = GEPA_MINIBATCH): number {
  // An iteration scores the parent and the child on a minibatch (2m metric calls) and makes 2
  // reflection calls; the initial validation pass (V) has none: L = M + 2 (M - V) / 2m.
  return Math.floor((maxLMCalls * minibatch + validationSize) / (minibatch + 1));
}

async function score(program: AxProgram, llm: AxAIService, validation: readonly AxExample[], metric: AxMetricFn, inputNames: readonly string[], concurrency: number): Promise<number> {
  const scores: number[] = new Array<number>(validation.length).fill(0);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < validation.length; i = next++) {
      const example = validation[i]!;
      const inputs: AxExample = Object.fromEntries(inputNames.map((n) => [n, example[n]!]));
      try {
        scores[i] = Number(await metric({ prediction: await program.forward(llm, inputs), example }));
      } catch {
        scores[i] = 0;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, validation.length) }, worker));
  return scores.reduce((a, b) => a + b, 0) / Math.max(1, validation.length);
}

interface Phase {
  readonly optimizer: string;
  /** False when the budget cannot pay for the optimizer's first step. */
  readonly fits: boolean;
  compile(program: AxProgram): Promise<void>;
}

/** What every phase shares: the task's data and metric, the counted client and the budget. */
interface BenchContext {
  readonly llm: AxAIService;
  readonly seed: number;
  readonly train: readonly AxExample[];
  readonly validation: readonly AxExample[];
  readonly metric: AxMetricFn;
  readonly maxLMCalls: number;
}

function applyResult(program: AxProgram, optimized: AxOptimizedProgram | undefined): void {
  if (optimized) program.applyOptimization(optimized);
}

function phasesOf(ctx: BenchContext): Phase[] {
  const { llm, seed, train, validation, metric, maxLMCalls: L } = ctx;
  const V = validation.length;
  const bootstrapTrain = train.slice(0, BOOTSTRAP_TRAIN);
  const bootstrapOptions = { maxDemos: BOOTSTRAP_DEMOS, maxExamples: bootstrapTrain.length, verboseMode: false };
  // numTrials and early stopping never bind before the budget does: the budget is what is compared.
  const gepaArgs = { studentAI: llm, seed, minibatchSize: GEPA_MINIBATCH, numTrials: L, earlyStoppingTrials: L, paretoSetSize: V, verbose: false };
  const gepaAlone = gepaMetricCalls(L, V);
  // optimize() bootstraps first, with at most one call per bootstrap training example.
  const gepaAfterBootstrap = gepaMetricCalls(L - bootstrapTrain.length, V);
  return [
    {
      optimizer: "AxBootstrapFewShot",
      fits: L >= 1,
      async compile(program) {
        const options = { ...bootstrapOptions, maxRounds: Math.max(1, Math.floor(L / bootstrapTrain.length)) };
        const result = await new AxBootstrapFewShot({ studentAI: llm, seed, options }).compile(program, bootstrapTrain, metric);
        if (result.demos) program.setDemos(result.demos);
      },
    },
    {
      optimizer: "AxGEPA",
      fits: gepaAlone >= V + 2 * GEPA_MINIBATCH,
      async compile(program) {
        const result = await new AxGEPA(gepaArgs).compile(program, train, metric, { validationExamples: validation, maxMetricCalls: gepaAlone });
        applyResult(program, result.optimizedProgram);
      },
    },
    {
      optimizer: "optimize (bootstrap + GEPA)",
      fits: gepaAfterBootstrap >= V + 2 * GEPA_MINIBATCH,
      async compile(program) {
        const bootstrap = { ...bootstrapOptions, maxRounds: 1 };
        const result = await optimize(program, bootstrapTrain, metric, { ...gepaArgs, validationExamples: validation, maxMetricCalls: gepaAfterBootstrap, bootstrap });
        applyResult(program, result.optimizedProgram);
      },
    },
  ];
}

/** Compiles a fresh program with one optimizer (counting its LM calls and time), then scores it. */
async function runPhase(phase: Phase, fresh: () => AxProgram, evaluate: (program: AxProgram) => Promise<number>, calls: () => number, seed: number) {
  const program = fresh();
  Math.random = seededRandom(seed);
  const before = calls();
  const started = performance.now();
  let error: string | undefined;
  try {
    await phase.compile(program);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const seconds = (performance.now() - started) / 1000;
  const lmCalls = calls() - before;
  Math.random = seededRandom(seed);
  const optimizedScore = await evaluate(program);
  return { optimizer: phase.optimizer, optimizedScore, lmCalls, seconds, ...(error ? { error } : {}) };
}

/**
 * Scores the task's program on its validation set, then for each Ax optimizer that fits the budget
 * compiles a fresh copy (budget: opts.maxLMCalls LM calls) and scores the result the same way.
 * AxGEPA (alone and in optimize()) uses the task's validation set as its Pareto/validation set, as
 * DSPEx's runOptimization uses its valset. Optimizers whose first step does not fit are left out.
 */
export async function runAxOptimizers(input: AxOptimizerBenchOptions): Promise<AxOptimizerResult[]> {
  const opts = AxOptimizerBenchOptionsSchema.parse(input);
  const task = benchTask(opts.task);
  const module: AxModuleKind = opts.module ?? (opts.task === "arithmetic" ? "chain-of-thought" : "predict");
  const counter = countingFetch();
  const config = { model: opts.model as AxAIOpenAIModel, stream: false, temperature: 0 };
  const llm = ai({ name: "openai", apiKey: "local", apiURL: opts.baseURL, config, options: { fetch: counter.fetch } });
  const ctx: BenchContext = {
    llm,
    seed: opts.seed,
    train: task.dataset.train.map(toAxExample),
    validation: task.dataset.validation.map(toAxExample),
    metric: axMetric(task),
    maxLMCalls: opts.maxLMCalls,
  };
  const inputNames = task.signature.inputs.map((f) => f.name);
  const fresh = () => axTaskProgram(task, module);
  const evaluate = (program: AxProgram) => score(program, llm, ctx.validation, ctx.metric, inputNames, opts.concurrency);
  const originalRandom = Math.random;
  try {
    Math.random = seededRandom(opts.seed);
    const baselineScore = await evaluate(fresh());
    const results: AxOptimizerResult[] = [];
    for (const phase of phasesOf(ctx).filter((p) => p.fits)) {
      const { optimizer, ...rest } = await runPhase(phase, fresh, evaluate, counter.count, opts.seed);
      results.push({ optimizer, baselineScore, ...rest });
    }
    return results;
  } finally {
    Math.random = originalRandom;
  }
}
