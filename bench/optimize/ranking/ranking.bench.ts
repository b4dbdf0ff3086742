// The optimizer ranking: every DSPEx optimizer (each through optimize(), parameters planned from
// the budget), optimize() itself ("auto") and Ax's optimizers, side by side, per task and budget,
// over several seeds (a seed draws the data split, the model's noise and the optimizers' own
// randomness). The model is the demo model served over HTTP by a separate process, which counts
// the calls and dollars; the student is dspex-demo-mini, the teacher dspex-demo-large, the demo
// cap 4 and the temperature 0 for both frameworks. Scores are measured by the bench after each
// run: on the validation set (the run's own) and on a test set no optimizer sees.
// Narrow it with OPT_TASKS=routing,qa OPT_BUDGETS=100 OPT_SEEDS=1,2 OPT_OPTIMIZERS=auto,Ax optimize().
import { evaluate } from "../../../lib/dspex/evaluate";
import type { Module } from "../../../lib/dspex/modules";
import { AX_OPTIMIZERS, axClient, axScore, runAxOptimizer } from "./ax-runs";
import { DSPEX_OPTIMIZERS, dspexProgram, runDspexOptimizer, studentLM } from "./dspex-runs";
import { startLMServer, type LMServer } from "./lm-server";
import type { RunRecord } from "./summary";
import { RANKING_TASKS, STUDENT, type RankingTask, type Splits } from "./tasks";

export const RANKING_BUDGETS = [50, 100, 200, 400] as const;
export const RANKING_SEEDS = [1, 2, 3, 4, 5] as const;

export interface RankingConfig {
  readonly tasks: readonly string[];
  readonly budgets: readonly number[];
  readonly seeds: readonly number[];
  readonly optimizers: readonly string[] | undefined;
  readonly log?: (line: string) => void;
}

function list(value: string | undefined): string[] | undefined {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RankingConfig {
  return {
    tasks: list(env.OPT_TASKS) ?? RANKING_TASKS.map((t) => t.name),
    budgets: list(env.OPT_BUDGETS)?.map(Number) ?? [...RANKING_BUDGETS],
    seeds: list(env.OPT_SEEDS)?.map(Number) ?? [...RANKING_SEEDS],
    optimizers: list(env.OPT_OPTIMIZERS),
    log: (line) => console.log(line),
  };
}

const mean = (program: Module, examples: Splits["val"], task: RankingTask, baseURL: string) => evaluate(program, examples, task.task.metric, { lm: studentLM(baseURL) }).then((r) => r.mean);

async function measured<T>(server: LMServer, fn: () => Promise<T>): Promise<{ value: T | undefined; error?: string; calls: number; usd: number; seconds: number }> {
  const before = await server.counts();
  const t0 = performance.now();
  let value: T | undefined;
  let error: string | undefined;
  try {
    value = await fn();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const after = await server.counts();
  return { value, ...(error ? { error } : {}), calls: after.calls - before.calls, usd: after.usd - before.usd, seconds: (performance.now() - t0) / 1000 };
}

/** Runs the ranking and returns one record per task, budget, seed and optimizer. */
export async function optimizerRanking(config: RankingConfig): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const wanted = (name: string) => !config.optimizers || config.optimizers.includes(name);
  for (const seed of config.seeds) {
    const server = await startLMServer(seed);
    try {
      for (const task of RANKING_TASKS.filter((t) => config.tasks.includes(t.name))) {
        const splits = task.splits(seed);
        const base = dspexProgram(task);
        const dspexBase = { val: await mean(base, splits.val, task, server.baseURL), test: await mean(base, splits.test, task, server.baseURL) };
        const inputNames = task.task.signature.inputs.map((f) => f.name);
        const student = axClient(server.baseURL, STUDENT);
        const axBase = { val: await axScore(task.axProgram(), student, splits.val, task.axMetric(), inputNames), test: await axScore(task.axProgram(), student, splits.test, task.axMetric(), inputNames) };
        for (const budget of config.budgets) {
          for (const name of DSPEX_OPTIMIZERS.filter(wanted)) {
            const run = await measured(server, () => runDspexOptimizer(name, { task, splits, baseURL: server.baseURL, calls: budget, seed }));
            const program = run.value?.program;
            const record: RunRecord = {
              task: task.name,
              budget,
              seed,
              framework: "DSPEx",
              optimizer: name === "auto" ? "optimize()" : name,
              calls: run.calls,
              usd: run.usd,
              valBaseline: dspexBase.val,
              valFinal: program ? await mean(program, splits.val, task, server.baseURL) : dspexBase.val,
              testBaseline: dspexBase.test,
              testFinal: program ? await mean(program, splits.test, task, server.baseURL) : dspexBase.test,
              seconds: run.seconds,
              ...(run.error ? { note: `error: ${run.error}` } : {}),
              ...(run.value ? { plan: `${run.value.plan.optimizer}: ${run.value.plan.reason}` } : {}),
            };
            records.push(record);
            config.log?.(`${task.name} ${budget} seed ${seed} DSPEx ${record.optimizer}: val ${record.valBaseline.toFixed(2)}->${record.valFinal.toFixed(2)} test ${record.testBaseline.toFixed(2)}->${record.testFinal.toFixed(2)} (${record.calls} calls${record.note ? `; ${record.note}` : ""})`);
          }
          for (const name of AX_OPTIMIZERS.filter(wanted)) {
            const run = await measured(server, () => runAxOptimizer(name, { task, splits, baseURL: server.baseURL, calls: budget, seed }));
            const program = run.value;
            const note = run.error ? `error: ${run.error}` : program ? undefined : "did not fit the budget";
            const record: RunRecord = {
              task: task.name,
              budget,
              seed,
              framework: "Ax",
              optimizer: name,
              calls: run.calls,
              usd: run.usd,
              valBaseline: axBase.val,
              valFinal: program ? await axScore(program, student, splits.val, task.axMetric(), inputNames) : axBase.val,
              testBaseline: axBase.test,
              testFinal: program ? await axScore(program, student, splits.test, task.axMetric(), inputNames) : axBase.test,
              seconds: run.seconds,
              ...(note ? { note } : {}),
            };
            records.push(record);
            config.log?.(`${task.name} ${budget} seed ${seed} Ax ${name}: val ${record.valBaseline.toFixed(2)}->${record.valFinal.toFixed(2)} test ${record.testBaseline.toFixed(2)}->${record.testFinal.toFixed(2)} (${record.calls} calls${note ? `; ${note}` : ""})`);
          }
        }
      }
    } finally {
      await server.stop();
    }
  }
  return records;
}
