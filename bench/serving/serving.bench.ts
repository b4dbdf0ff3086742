// npm run bench -- serving: the production server (dist/server.js, what npm start runs) with its
// real run recording, per-key rate limits, provider rate limit and budget, on PGlite and on
// PostgreSQL, in front of an OpenAI-compatible model in a process of its own (the demo model,
// answering at once). Beside it, in the same run and interleaved round by round, the bare openai
// SDK sends the server's own provider request body straight to that model: the share of direct
// throughput and the added latency are the server's whole cost per prediction. A third path sends
// the same body through the fetch the server's provider clients use (keepAliveFetch), with the load
// client's CPU per request for both, so the provider client's own cost is compared in the same run.
//   DSPEX_BENCH_PORT=4400   first of three ports to use (default: any free ports)
//   SERVING_BENCH_BACKENDS=pglite,postgres   SERVING_BENCH_ROUNDS=3   SERVING_BENCH_REQUESTS=2000
//   SERVING_BENCH_CPU_PROF=dir   writes the server's CPU profile (.cpuprofile, for Chrome's DevTools) into dir
// The API has no streaming predict route, so only whole replies are measured.
import type { ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { openDatabase } from "../../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "../../lib/db/testing";
import { createApiKey } from "../../lib/runtime/store";
import { report, type Row } from "../lib/report";
import { ensureServerBuilt, startServer, stopServer, waitReady, type ServerProcess } from "../lib/server-process";
import { median, quantile } from "../lib/stats";
import type { LoadJob, LoadResult } from "./load-client";
import { ask, child, cpuSeconds, ports, rssMiB } from "./processes";

const INPUT = { context: "DSPEx is a TypeScript platform for language-model programs. Its runtime is supervised.", question: "What is DSPEx?" };
const CONCURRENCY = [1, 16, 64];
const ROUNDS = Number(process.env.SERVING_BENCH_ROUNDS ?? 3);
const REQUESTS = Number(process.env.SERVING_BENCH_REQUESTS ?? 2_000);
const CPU_PROF = process.env.SERVING_BENCH_CPU_PROF;
const BACKENDS = (process.env.SERVING_BENCH_BACKENDS ?? "pglite,postgres").split(",") as ("pglite" | "postgres")[];

interface PhaseStats {
  rates: number[];
  latencies: number[];
  cpu: number;
  requests: number;
  /** The load client's CPU microseconds per request, per round. */
  clientCpu: number[];
}

const empty = (): PhaseStats => ({ rates: [], latencies: [], cpu: 0, requests: 0, clientCpu: [] });

async function runBackend(backend: "pglite" | "postgres", rows: Row[], memory: Row[]): Promise<void> {
  const t: TestDatabase = backend === "pglite" ? await freshPgliteDatabase() : await freshPostgresDatabase("dspex_serving_bench");
  let server: ServerProcess | undefined;
  let lm: ChildProcess | undefined;
  let client: ChildProcess | undefined;
  try {
    const [serverPort, lmPort] = await ports();
    const db = await openDatabase(t.config);
    const { key, apiKey } = await createApiKey(db.prisma, { name: "serving bench", rateLimitPerMinute: 1_000_000 });
    // A budget the runs are charged against (never reached), so the ledger is on the path.
    await db.prisma.budget.create({ data: { scope: "global", period: "day", limitUsd: "1000000" } });
    await db.close();

    const started = await child("lm-process.ts", { LM_PORT: String(lmPort) });
    lm = started.proc;
    const baseURL = String(started.ready.baseURL);
    const url = `http://127.0.0.1:${serverPort}`;
    server = startServer({
      ...(t.config.url ? { DATABASE_URL: t.config.url } : {}),
      DSPEX_DATA_DIR: t.config.dataDir,
      PORT: String(serverPort),
      HOST: "127.0.0.1",
      DSPEX_LM_BASE_URL: baseURL,
      DSPEX_LM_API_KEY: "bench",
      DSPEX_LM_MODEL: "dspex-demo-1",
      DSPEX_LM_RPM: "100000000",
      DSPEX_API_RATE_LIMIT: "100000000",
      // Load shedding off: on a machine shared with other work the event loop runs late for
      // reasons of its own, and the bench measures throughput, not refusals.
      DSPEX_MAX_EVENT_LOOP_LAG_MS: "0",
    }, "compiled", CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF}`] : []);
    await waitReady(url, server);
    const pid = server.child.pid!;
    await new Promise((r) => setTimeout(r, 2_000));
    const idleRss = rssMiB(pid);

    client = (await child("load-client.ts")).proc;
    const load = (job: Omit<LoadJob, "type">) => ask<LoadResult>(client!, { type: "load", ...job });
    const served = { path: "served" as const, url: `${url}/api/v1/programs/qa/predict`, key, body: JSON.stringify({ input: INPUT }) };
    const warm = await load({ ...served, concurrency: 16, requests: 500 });
    if (warm.failures) throw new Error(`${backend}: ${warm.failures} warm-up predictions failed: ${warm.firstFailure}`);
    const captured = await ask<{ body: unknown }>(lm, { type: "last-body" });
    if (!captured.body) throw new Error("the model never saw a request from the server");
    const direct = { path: "direct" as const, url: baseURL, key: "bench", body: JSON.stringify(captured.body) };
    const keepAlive = { ...direct, path: "direct-keepalive" as const };
    await load({ ...direct, concurrency: 16, requests: 500 });
    await load({ ...keepAlive, concurrency: 16, requests: 500 });

    let peakRss = idleRss;
    let runs = 500;
    for (const concurrency of CONCURRENCY) {
      const requests = concurrency === 1 ? Math.ceil(REQUESTS / 4) : REQUESTS;
      const s = empty();
      const d = empty();
      const k = empty();
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (["served", "direct", "direct-keepalive"] as const) : (["direct-keepalive", "direct", "served"] as const);
        for (const which of order) {
          await ask(lm, { type: "reset" });
          const cpu0 = cpuSeconds(pid);
          const r = await load({ ...(which === "served" ? served : which === "direct" ? direct : keepAlive), concurrency, requests });
          const cpu = cpuSeconds(pid) - cpu0;
          if (r.failures) throw new Error(`${backend} ${which} c${concurrency}: ${r.failures} of ${requests} failed: ${r.firstFailure}`);
          const into = which === "served" ? s : which === "direct" ? d : k;
          into.clientCpu.push(r.cpuUsPerRequest);
          into.rates.push(requests / (r.elapsedMs / 1000));
          into.latencies.push(...r.latencies);
          into.requests += requests;
          if (which === "served") {
            into.cpu += cpu;
            runs += requests;
            peakRss = Math.max(peakRss, rssMiB(pid));
          }
        }
      }
      s.latencies.sort((a, b) => a - b);
      d.latencies.sort((a, b) => a - b);
      const ms = (us: number) => Math.round(us / 10) / 100;
      rows.push({
        backend,
        concurrency,
        "direct /s": Math.round(median(d.rates)),
        "served /s": Math.round(median(s.rates)),
        share: Math.round((median(s.rates) / median(d.rates)) * 100) / 100,
        "p50 ms direct/served": `${ms(quantile(d.latencies, 0.5))} / ${ms(quantile(s.latencies, 0.5))}`,
        "p99 ms direct/served": `${ms(quantile(d.latencies, 0.99))} / ${ms(quantile(s.latencies, 0.99))}`,
        "added p50 ms": ms(quantile(s.latencies, 0.5) - quantile(d.latencies, 0.5)),
        "added p99 ms": ms(quantile(s.latencies, 0.99) - quantile(d.latencies, 0.99)),
        "server CPU ms/req": Math.round((s.cpu / s.requests) * 1e5) / 100,
        "direct keep-alive /s": Math.round(median(k.rates)),
        "client CPU ms/req direct / keep-alive": `${ms(median(d.clientCpu))} / ${ms(median(k.clientCpu))}`,
        load: loadavg()[0]!.toFixed(1),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
    const loadedRss = rssMiB(pid);
    await stopServer(server);
    server = undefined;

    const check = await openDatabase(t.config);
    try {
      const recorded = await check.prisma.run.count({ where: { apiKeyId: apiKey.id } });
      const ok = await check.prisma.run.count({ where: { apiKeyId: apiKey.id, status: "ok" } });
      const sizes = await check.sql.query<{ bytes: string }>(`SELECT (pg_total_relation_size('"Run"') + pg_total_relation_size('"Span"') + pg_total_relation_size('"LMCall"'))::text AS bytes`);
      memory.push({
        backend,
        "RSS idle MiB": Math.round(idleRss),
        "RSS peak under load MiB": Math.round(peakRss),
        "RSS after load MiB": Math.round(loadedRss),
        "runs answered": runs,
        "runs recorded ok": ok,
        "runs recorded": recorded,
        "bytes per run (runs+spans+LM calls, with indexes)": Math.round(Number(sizes[0]!.bytes) / Math.max(1, recorded)),
      });
    } finally {
      await check.close();
    }
  } finally {
    client?.send({ type: "exit" });
    lm?.send({ type: "exit" });
    if (server) await stopServer(server);
    await t.destroy();
  }
}

export async function run(): Promise<void> {
  ensureServerBuilt();
  const rows: Row[] = [];
  const memory: Row[] = [];
  for (const backend of BACKENDS) await runBackend(backend, rows, memory);
  const meta = { rounds: ROUNDS, requests: REQUESTS, program: "qa (Predict)", model: "demo model over HTTP in its own process, zero latency", loadavg: loadavg() };
  await report("serving-throughput", rows, meta);
  await report("serving-memory-storage", memory, meta);
}
