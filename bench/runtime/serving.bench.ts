// npm run bench -- runtime   (the lead wires this file's run() into bench/run.ts)
//   latency:    the serving API's added latency over calling module.run directly in the same
//               process, one request at a time: end to end (a keep-alive HTTP client in another
//               process), inside the handler (from handle() to the response's end), and end to
//               end with the key and program caches off (a database read of each per request)
//   throughput: predictions/s through the API at concurrency 1, 16 and 64 (client in another
//               process), beside module.run in-process at the same concurrency
// The program is the "qa" demo on the offline demo model answering at once (zero latency), so the
// figures are the API's own cost. The run tracer, key limiter and budget are small in-memory
// stand-ins (recording cost belongs to the event pipeline, benchmarked in its own suite).
import { fork, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { openDatabase } from "../../lib/db";
import { freshPgliteDatabase } from "../../lib/db/testing";
import { composeLM, createDemoLM, createPriceTable, withCostMeter, type LM, type LMCallRecord, type Module, type Tracer, type Usage } from "../../lib/dspex";
import { createProgramRegistry, createProgramResolver, demoPrograms, syncPrograms } from "../../lib/runtime/programs";
import { createServingApi, type ApiKeyLimiter, type RunScopes, type RunTracerInit, type ServingRunTracer } from "../../lib/runtime/serving";
import { createMemoryBudgets, createMemoryJobs } from "../../lib/runtime/serving/testing";
import { createApiKey, createStore } from "../../lib/runtime/store";
import { report, type Row } from "../lib/report";
import { quantile } from "../lib/stats";

const INPUT = { context: "DSPEx is a TypeScript platform for language-model programs. Its runtime is supervised.", question: "What is DSPEx?" };
const WARMUP = 1_000;
const LATENCY_SAMPLES = 5_000;
const THROUGHPUT_REQUESTS = 8_000;
const CONCURRENCY = [1, 16, 64];

/** A run tracer that keeps nothing: totals from the LM calls, as the runtime's tracer reports them. */
function leanTracer(_init: RunTracerInit): ServingRunTracer {
  const started = performance.now();
  let spans = 0;
  let costUsd = 0;
  let usage: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  const tracer: Tracer = {
    startSpan: () => String(++spans),
    endSpan: () => {},
    recordLMCall: (c: LMCallRecord) => {
      costUsd += c.costUsd;
      usage = { ...usage, inputTokens: usage.inputTokens + c.usage.inputTokens, outputTokens: usage.outputTokens + c.usage.outputTokens };
    },
  };
  return { tracer, runId: `run-${started}`, traceId: `trace-${started}`, finish: async () => ({ usage, costUsd, latencyMs: performance.now() - started }) };
}

/** Requests per minute per key in fixed one-minute windows (never refusing at these rates). */
function windowLimiter(): ApiKeyLimiter {
  const counts = new Map<string, { window: number; used: number }>();
  return {
    async check(keyId, limit = 1_000_000_000, cost = 1) {
      const window = Math.floor(Date.now() / 60_000);
      const c = counts.get(keyId);
      const used = c && c.window === window ? c.used : 0;
      if (used + cost > limit) return { allowed: false, retryAfterMs: (window + 1) * 60_000 - Date.now() };
      counts.set(keyId, { window, used: used + cost });
      return { allowed: true };
    },
  };
}

async function timeDirect(module: Module, lm: LM, n: number): Promise<number[]> {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await module.run(INPUT, lm);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out.sort((a, b) => a - b);
}

async function directThroughput(module: Module, lm: LM, concurrency: number, requests: number): Promise<number> {
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        sent++;
        await module.run(INPUT, lm);
      }
    }),
  );
  return requests / ((performance.now() - t0) / 1000);
}

interface ClientResult {
  readonly latencies: number[];
  readonly elapsedMs: number;
  readonly failures: number;
}

function startClient(): Promise<{ child: ChildProcess; load(url: string, key: string, concurrency: number, requests: number): Promise<ClientResult> }> {
  const child = fork(path.join(import.meta.dirname, "serving-client.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const body = JSON.stringify({ input: INPUT });
  const load = (url: string, key: string, concurrency: number, requests: number) =>
    new Promise<ClientResult>((resolve) => {
      child.once("message", (m: ClientResult & { type: string }) => resolve(m));
      child.send({ type: "run", url, key, body, concurrency, requests });
    });
  return new Promise((resolve) => child.once("message", () => resolve({ child, load })));
}

export async function run(): Promise<void> {
  const t = await freshPgliteDatabase();
  const db = await openDatabase(t.config);
  let server: Server | undefined;
  let client: ChildProcess | undefined;
  try {
    const registry = createProgramRegistry(demoPrograms());
    await syncPrograms(db.prisma, registry);
    const resolver = createProgramResolver(db.prisma, registry);
    const lm = composeLM(createDemoLM(), withCostMeter({ prices: createPriceTable({ seed: false }) }));
    const budgets = createMemoryBudgets();
    const deps = {
      store: createStore(db.prisma),
      registry,
      resolver,
      lmFor: (scopes: RunScopes) => composeLM(lm, budgets.middleware(scopes)),
      createRunTracer: leanTracer,
      limiter: windowLimiter(),
      jobs: createMemoryJobs(),
    };
    const cached = createServingApi(deps);
    // Asks the database for the key and the active version on every request (exact revocation and promotion).
    const uncached = createServingApi({ ...deps, options: { authCacheTtlMs: 0, programCacheTtlMs: 0 } });
    let api = cached;
    const { key } = await createApiKey(db.prisma, { name: "bench" });
    const module = (await resolver.resolveProgram("qa")).module;

    let handlerTimes: number[] | undefined;
    server = createServer((req, res) => {
      const t0 = process.hrtime.bigint();
      if (handlerTimes) res.once("finish", () => handlerTimes?.push(Number(process.hrtime.bigint() - t0) / 1000));
      void api.handle(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/programs/qa/predict`;
    const started = await startClient();
    client = started.child;

    // Latency, one at a time: direct, through the API, direct again (drift check).
    await timeDirect(module, lm, WARMUP);
    await started.load(url, key, 1, WARMUP);
    const direct = await timeDirect(module, lm, LATENCY_SAMPLES);
    handlerTimes = [];
    const http = await started.load(url, key, 1, LATENCY_SAMPLES);
    const inHandler = handlerTimes.sort((a, b) => a - b);
    handlerTimes = undefined;
    api = uncached;
    await started.load(url, key, 1, WARMUP);
    const noCache = await started.load(url, key, 1, LATENCY_SAMPLES);
    api = cached;
    const directAgain = await timeDirect(module, lm, LATENCY_SAMPLES);
    if (http.failures + noCache.failures > 0) throw new Error(`bench: ${http.failures + noCache.failures} API requests failed`);
    const apiLatency = [...http.latencies].sort((a, b) => a - b);
    const noCacheLatency = [...noCache.latencies].sort((a, b) => a - b);
    const d50 = quantile(direct, 0.5);
    const d99 = quantile(direct, 0.99);
    const latencyRows: Row[] = [
      { path: "module.run directly", "p50 µs": d50, "p99 µs": d99, "added p50 µs": 0, "added p99 µs": 0 },
      { path: "module.run directly (again)", "p50 µs": quantile(directAgain, 0.5), "p99 µs": quantile(directAgain, 0.99), "added p50 µs": 0, "added p99 µs": 0 },
      { path: "API, inside the handler", "p50 µs": quantile(inHandler, 0.5), "p99 µs": quantile(inHandler, 0.99), "added p50 µs": quantile(inHandler, 0.5) - d50, "added p99 µs": quantile(inHandler, 0.99) - d99 },
      { path: "API, end to end over HTTP", "p50 µs": quantile(apiLatency, 0.5), "p99 µs": quantile(apiLatency, 0.99), "added p50 µs": quantile(apiLatency, 0.5) - d50, "added p99 µs": quantile(apiLatency, 0.99) - d99 },
      {
        path: "API, end to end, caches off (TTL 0)",
        "p50 µs": quantile(noCacheLatency, 0.5),
        "p99 µs": quantile(noCacheLatency, 0.99),
        "added p50 µs": quantile(noCacheLatency, 0.5) - d50,
        "added p99 µs": quantile(noCacheLatency, 0.99) - d99,
      },
    ];
    await report("runtime-serving-latency", latencyRows, { samples: LATENCY_SAMPLES, program: "qa (Predict)", lm: "demo, zero latency", goal: "added p50 under 1000 µs" });

    const throughputRows: Row[] = [];
    for (const concurrency of CONCURRENCY) {
      const r = await started.load(url, key, concurrency, THROUGHPUT_REQUESTS);
      if (r.failures > 0) throw new Error(`bench: ${r.failures} API requests failed at concurrency ${concurrency}`);
      const sorted = [...r.latencies].sort((a, b) => a - b);
      const directRate = await directThroughput(module, lm, concurrency, THROUGHPUT_REQUESTS);
      throughputRows.push({
        concurrency,
        "API predictions/s": Math.round(THROUGHPUT_REQUESTS / (r.elapsedMs / 1000)),
        "API p50 ms": quantile(sorted, 0.5) / 1000,
        "API p99 ms": quantile(sorted, 0.99) / 1000,
        "direct predictions/s": Math.round(directRate),
      });
    }
    await report("runtime-serving-throughput", throughputRows, { requests: THROUGHPUT_REQUESTS, program: "qa (Predict)", lm: "demo, zero latency", client: "separate process, keep-alive" });
  } finally {
    client?.send({ type: "exit" });
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await db.close();
    await t.destroy();
  }
}

if (process.argv[1] === import.meta.filename) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
