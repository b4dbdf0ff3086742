// Wall time of one optimization whose LM takes 300 ms per call, at concurrency 1, 8 and 32:
// the speed-up should be near-linear (no rate limit here; the runtime adds one).
import { createDemoLM } from "../../lib/dspex/demo-lm";
import { arithmeticTask } from "../../lib/dspex/demos";
import { runOptimization, SamplerSearch } from "../../lib/dspex/optimizers";
import { RandomSampler } from "../../lib/dspex/samplers";
import { discoverSpace } from "../../lib/dspex/variables";
import type { Row } from "../lib/report";

const LATENCY_MS = 300;
const TRIALS = 4;
const EXAMPLES = 32;

export async function wallTime(): Promise<Row[]> {
  const program = arithmeticTask.makeProgram({ module: "predict" });
  const space = discoverSpace(program).select((v) => v.name === "temperature");
  const rows: Row[] = [];
  let serial = 0;
  for (const concurrency of [1, 8, 32]) {
    const t0 = performance.now();
    const report = await runOptimization({
      optimizer: new SamplerSearch({ sampler: new RandomSampler(), trials: TRIALS }),
      program,
      space,
      trainset: arithmeticTask.dataset.train,
      valset: arithmeticTask.dataset.validation.slice(0, EXAMPLES),
      metric: arithmeticTask.metric,
      lm: createDemoLM({ seed: 1, latencyMs: LATENCY_MS }),
      concurrency,
      seed: 1,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (concurrency === 1) serial = seconds;
    rows.push({
      concurrency,
      "LM calls": report.spend.lmCalls,
      "wall s": Number(seconds.toFixed(2)),
      "ideal s": Number(((report.spend.lmCalls * LATENCY_MS) / 1000 / concurrency).toFixed(2)),
      "speed-up": Number((serial / seconds).toFixed(2)),
      efficiency: Number((serial / seconds / concurrency).toFixed(3)),
    });
  }
  return rows;
}
