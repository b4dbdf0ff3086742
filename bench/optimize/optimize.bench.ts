// npm run bench -- optimize: samplers (regret, ask() speed), prompt optimizers beside Ax's, and the
// wall time of an optimization at concurrency 1, 8 and 32 with a 300 ms LM.
import { report } from "../lib/report";
import { PROMPT_BUDGET, promptOptimizers } from "./prompt-optimizers.bench";
import { run as samplers } from "./samplers.bench";
import { wallTime } from "./wall-time.bench";

export async function run(): Promise<void> {
  await samplers();
  await report("optimize-prompt-optimizers", await promptOptimizers(1), {
    budget: `${PROMPT_BUDGET} LM calls per optimizer`,
    lm: "offline demo model behind a local OpenAI-compatible server (both frameworks)",
    note: "DSPEx's LM calls include its baseline and full validation scoring; Ax's count its compile phase only",
  });
  await report("optimize-wall-time", await wallTime(), { lmLatencyMs: 300 });
}
