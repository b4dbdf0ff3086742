// npm run bench -- <suite> [more suites]; with no suite, lists them.
const SUITES: Record<string, { describe: string; run: () => Promise<void> }> = {
  framework: { describe: "per-call overhead vs Ax, HTTP throughput vs the bare openai SDK and Ax, memory over 100k predictions", run: async () => (await import("./framework/framework.bench")).run() },
  optimize: { describe: "samplers' regret and ask() speed, every optimizer, optimize() and Ax's optimizers ranked per task, budget and seed (median, spread, 95% CI), wall time at concurrency 1/8/32", run: async () => (await import("./optimize/optimize.bench")).run() },
  serving: { describe: "the production server (real recording, limits, budget; PGlite and PostgreSQL) against the bare SDK on the same model process: share of direct throughput, added p50/p99, server CPU per request, RSS, bytes per run", run: async () => (await import("./serving/serving.bench")).run() },
  reliability: { describe: "kill -9 and SIGTERM under load, a faulty provider under 500 concurrent predictions, 5x overload against an RPM limit; PGlite and PostgreSQL", run: async () => (await import("./reliability/reliability.bench")).run() },
  runtime: { describe: "supervisor restarts, rate-limit accuracy, event pipeline, serving latency, kill -9 recovery", run: async () => (await import("./runtime/runtime.bench")).run() },
  dashboard: { describe: "every page's and API's server time with 100k runs, 1M spans and 100k LM calls in the embedded database", run: async () => (await import("./dashboard.bench")).run() },
  search: { describe: "full-text trace search (the API's query) on 100k runs, PGlite and PostgreSQL", run: async () => (await import("./trace-search.bench")).run() },
  agents: { describe: "messages/s through a 3-step agent pipeline, added latency per hop, memory per idle agent, recovery after killing 10% of a pool; messages/s and latency per hop across processes (local Redis)", run: async () => (await import("./agents.bench")).run() },
  startup: { describe: "the production server's start-to-ready time and memory (peak while starting, idle), compiled beside the sources under tsx, and npm start", run: async () => (await import("./startup.bench")).run() },
  estimate: { describe: "the launch estimate against the real cost: optimize() on each bundled task through a priced stand-in provider, per optimizer", run: async () => (await import("./estimate/estimate.bench")).run() },
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
