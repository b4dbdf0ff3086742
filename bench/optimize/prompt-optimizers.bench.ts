// DSPEx's prompt optimizers beside Ax's (AxBootstrapFewShot, AxGEPA, Ax optimize()) on the bundled
// demo tasks: same demo model behind the same local OpenAI-compatible server, same data, same
// metric, same budget in LM calls, prompts only (instructions and demos; temperature 0 for both).
import { createDemoLM } from "../../lib/dspex/demo-lm";
import { demoTask, type DemoTask } from "../../lib/dspex/demos";
import { createOpenAILM } from "../../lib/dspex/lm";
import {
  Alternate,
  BootstrapFewShot,
  BootstrapFewShotWithRandomSearch,
  Gepa,
  LabeledFewShot,
  MIPROv2,
  runOptimization,
  Simba,
  type Optimizer,
} from "../../lib/dspex/optimizers";
import { serveLM } from "../../lib/dspex/testing";
import { discoverSpace } from "../../lib/dspex/variables";
import type { Row } from "../lib/report";
import { runAxOptimizers } from "./ax-optimizers";

export const PROMPT_BUDGET = 400;
const TASKS = ["qa", "classify", "arithmetic"] as const;

const DSPEX_OPTIMIZERS: ReadonlyArray<{ name: string; make: () => Optimizer }> = [
  { name: "LabeledFewShot", make: () => new LabeledFewShot({ k: 4 }) },
  { name: "BootstrapFewShot", make: () => new BootstrapFewShot() },
  { name: "BootstrapRandomSearch", make: () => new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: 6 }) },
  { name: "MIPROv2 (light)", make: () => new MIPROv2({ auto: "light" }) },
  { name: "SIMBA", make: () => new Simba() },
  { name: "GEPA", make: () => new Gepa({ maxMetricCalls: PROMPT_BUDGET }) },
  // Like Ax's optimize(): bootstrapped demos, then GEPA on the instructions with those demos.
  {
    name: "Bootstrap + GEPA (Alternate)",
    make: () =>
      new Alternate([
        { optimizer: new BootstrapFewShot(), variables: (v) => v.kind === "demos" },
        { optimizer: new Gepa({ maxMetricCalls: PROMPT_BUDGET }), variables: (v) => v.kind === "text" },
      ]),
  },
];

async function dspexRows(task: DemoTask, baseURL: string, seed: number, count: () => number): Promise<Row[]> {
  const lm = createOpenAILM({ provider: "custom", baseURL, apiKey: "local", model: "dspex-demo-1", maxRetries: 0 });
  const program = task.makeProgram({ module: task.name === "arithmetic" ? "chain-of-thought" : "predict", settings: { temperature: 0 } });
  const space = discoverSpace(program, { temperature: false }).select((v) => v.kind === "text" || v.kind === "demos");
  const rows: Row[] = [];
  for (const { name, make } of DSPEX_OPTIMIZERS) {
    const before = count();
    const t0 = performance.now();
    const report = await runOptimization({
      optimizer: make(),
      program,
      space,
      trainset: task.dataset.train,
      valset: task.dataset.validation,
      metric: task.metric,
      lm,
      seed,
      budget: { lmCalls: PROMPT_BUDGET },
    });
    rows.push({
      task: task.name,
      framework: "DSPEx",
      optimizer: name,
      baseline: Number(report.baselineScore.toFixed(3)),
      optimized: Number(report.bestScore.toFixed(3)),
      "LM calls": count() - before,
      seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
      stop: report.stopReason,
    });
  }
  return rows;
}

export async function promptOptimizers(seed = 1): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of TASKS) {
    const task = demoTask(name)!;
    const server = await serveLM(createDemoLM({ seed }), { record: false });
    try {
      rows.push(...(await dspexRows(task, server.baseURL, seed, () => server.requestCount)));
      for (const r of await runAxOptimizers({ baseURL: server.baseURL, task: name, maxLMCalls: PROMPT_BUDGET, seed })) {
        rows.push({
          task: name,
          framework: "Ax",
          optimizer: r.optimizer,
          baseline: Number(r.baselineScore.toFixed(3)),
          optimized: Number(r.optimizedScore.toFixed(3)),
          "LM calls": r.lmCalls,
          seconds: Number(r.seconds.toFixed(2)),
          stop: r.error ? `error: ${r.error}` : "completed",
        });
      }
    } finally {
      await server.close();
    }
  }
  return rows;
}
