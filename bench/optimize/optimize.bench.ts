// npm run bench -- optimize: samplers (regret, ask() speed), the optimizer ranking (every DSPEx
// optimizer, optimize() and Ax's optimizers per task, budget and seed), and the wall time of an
// optimization at concurrency 1, 8 and 32 with a 300 ms LM.
// OPT_TASKS, OPT_BUDGETS, OPT_SEEDS and OPT_OPTIMIZERS narrow the ranking (see ranking.bench.ts);
// OPT_SKIP=samplers,wall-time leaves parts out.
import { report } from "../lib/report";
import { configFromEnv, optimizerRanking } from "./ranking/ranking.bench";
import { rankingTables, saveRecords } from "./ranking/tables";
import { run as samplers } from "./samplers.bench";
import { wallTime } from "./wall-time.bench";

export async function run(): Promise<void> {
  const skip = new Set((process.env.OPT_SKIP ?? "").split(",").filter(Boolean));
  if (!skip.has("samplers")) await samplers();
  if (!skip.has("ranking")) {
    const config = configFromEnv();
    const records = await optimizerRanking({ ...config, log: process.env.OPT_VERBOSE ? config.log : undefined });
    console.log(rankingTables(records));
    const file = await saveRecords(records, {
      lm: "the demo model served over HTTP by a separate process (calls and dollars counted there)",
      models: "student dspex-demo-mini, teacher dspex-demo-large; demo cap 4; temperature 0; both frameworks",
      seeds: config.seeds,
      budgets: config.budgets,
    });
    console.log(`(saved ${file})`);
  }
  if (!skip.has("wall-time")) await report("optimize-wall-time", await wallTime(), { lmLatencyMs: 300 });
}
