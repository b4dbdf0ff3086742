// A child process for the crash test: runs MIPROv2 on the classify demo task with a file
// checkpoint, printing one line per finished trial and the final result as JSON.
//   node --import tsx crash-run.ts <checkpoint-file> <latency-ms>
import { createDemoLM } from "../../demo-lm";
import { classifyTask } from "../../demos";
import { fileCheckpointStore, MIPROv2, runOptimization } from "../index";

const [file, latency] = process.argv.slice(2);
const report = await runOptimization({
  optimizer: new MIPROv2({ auto: "light" }),
  program: classifyTask.makeProgram({ settings: { temperature: 0.9 } }),
  trainset: classifyTask.dataset.train,
  valset: classifyTask.dataset.validation,
  metric: classifyTask.metric,
  lm: createDemoLM({ seed: 5, latencyMs: Number(latency ?? 0) }),
  seed: 21,
  concurrency: 4,
  checkpoint: fileCheckpointStore(file!),
  onEvent: (e) => {
    if (e.type === "trial:complete") process.stdout.write(`trial ${e.trial.number} ${e.replayed ? "replayed" : "ran"}\n`);
  },
});
process.stdout.write(`RESULT ${JSON.stringify({ config: report.config, best: report.bestScore, scores: report.trials.map((t) => t.score ?? null) })}\n`);
