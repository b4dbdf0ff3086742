// npm run bench -- <suite> [more suites]; with no suite, lists them.
const SUITES: Record<string, { describe: string; run: () => Promise<void> }> = {
  framework: { describe: "per-call overhead vs Ax, HTTP throughput vs the bare openai SDK and Ax, memory over 100k predictions", run: async () => (await import("./framework/framework.bench")).run() },
  optimize: { describe: "samplers' regret and ask() speed, prompt optimizers vs Ax on the demo tasks, wall time at concurrency 1/8/32", run: async () => (await import("./optimize/optimize.bench")).run() },
  runtime: { describe: "supervisor restarts, rate-limit accuracy, event pipeline, serving latency, kill -9 recovery", run: async () => (await import("./runtime/runtime.bench")).run() },
  dashboard: { describe: "every page's and API's server time with 100k runs, 1M spans and 100k LM calls in the embedded database", run: async () => (await import("./dashboard.bench")).run() },
  agents: { describe: "messages/s through a 3-step agent pipeline, added latency per hop, memory per idle agent, recovery after killing 10% of a pool", run: async () => (await import("./agents.bench")).run() },
  db: { describe: "database writes (single and batched) and point reads on PGlite and PostgreSQL", run: async () => (await import("./db/db.bench")).run() },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  if (wanted.length === 0) {
    console.log("usage: npm run bench -- <suite>\n");
    for (const [name, s] of Object.entries(SUITES)) console.log(`  ${name.padEnd(12)} ${s.describe}`);
    return;
  }
  for (const name of wanted) {
    const suite = SUITES[name];
    if (!suite) {
      console.error(`bench: unknown suite "${name}"; known: ${Object.keys(SUITES).join(", ")}`);
      process.exit(1);
    }
    await suite.run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
