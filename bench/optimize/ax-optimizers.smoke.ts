// Runs the Ax side of the optimizer benchmark once per task against the offline demo model served
// over HTTP, and prints the rows. Not a suite of bench/run.ts (the lead wires that):
//   node --import tsx bench/optimize/ax-optimizers.smoke.ts [maxLMCalls=200] [seed=1] [task …]
import { createDemoLM } from "../../lib/dspex/demo-lm";
import { serveLM } from "../../lib/dspex/testing";
import { runAxOptimizers } from "./ax-optimizers";

const TASKS = ["qa", "classify", "arithmetic"] as const;
type Task = (typeof TASKS)[number];

async function main(): Promise<void> {
  const [budget = "200", seedArg = "1", ...named] = process.argv.slice(2);
  const tasks = named.length > 0 ? named.filter((t): t is Task => (TASKS as readonly string[]).includes(t)) : [...TASKS];
  const seed = Number(seedArg);
  const server = await serveLM(createDemoLM({ seed }), { record: false });
  try {
    for (const task of tasks) {
      const received = server.requestCount;
      const rows = await runAxOptimizers({ baseURL: server.baseURL, task, maxLMCalls: Number(budget), seed });
      console.log(`\n${task} (maxLMCalls ${budget}, seed ${seed}; the server received ${server.requestCount - received} requests in all, scoring included)`);
      console.table(rows.map((r) => ({ ...r, baselineScore: +r.baselineScore.toFixed(3), optimizedScore: +r.optimizedScore.toFixed(3), seconds: +r.seconds.toFixed(2) })));
    }
  } finally {
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
