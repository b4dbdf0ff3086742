// The runtime's event pipeline:
// 1. events/s sustained into the database (PGlite embedded, PostgreSQL), producers honouring
//    back-pressure, with the statements it took and memory before/after;
// 2. durable (group-commit) acknowledgements: commits/s and ack latency with many producers;
// 3. delay from publish to a socket.io client in another process at 1k and 5k events/s, with the
//    writer persisting the same events meanwhile, and RSS before/after (memory should stay flat).
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pino from "pino";
import { openDatabase, type Database } from "../../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "../../lib/db/testing";
import { attachRealtime } from "../../lib/realtime";
import { createEventPipeline, EventBus, type EventPipeline, type RunRecorder } from "../../lib/runtime/events";
import { report, type Row } from "../lib/report";
import { quantile } from "../lib/stats";

const INGEST_RUNS = 10_000; // × 6 events = 60,000 events per backend
const INGEST_CONCURRENCY = 32;
const DURABLE_PRODUCERS = 200;
const DURABLE_ROUNDS = 10;
const RATES = [1_000, 5_000];
const SECONDS = 10;
const log = pino({ level: "warn" });

const messages = [
  { role: "system" as const, content: "Your input fields are:\n1. `question` (str)\nYour output fields are:\n1. `answer` (str)\n".repeat(3) },
  { role: "user" as const, content: "[[ ## question ## ]]\nWhat does a supervisor do when a child crashes three times in five seconds?" },
];
const usage = { inputTokens: 180, cachedInputTokens: 64, cacheWriteTokens: 0, outputTokens: 42, reasoningTokens: 0 };

/** One traced run as the serving API makes it: 2 spans, 2 LM calls, start and finish (6 events). */
function traceOneRun(pipeline: EventPipeline, i: number): RunRecorder {
  const tracer = pipeline.tracer({ source: "api", programName: "support-bot", input: { question: `q${i}` } });
  const root = tracer.startSpan({ name: "program", kind: "program", inputs: { question: `q${i}` } });
  const predict = tracer.startSpan({ name: "answer", kind: "predict", parentId: root, path: "answer" });
  for (let attempt = 1; attempt <= 2; attempt++) {
    tracer.recordLMCall({
      id: `${tracer.runId}-${attempt}`,
      spanId: predict,
      provider: "openai",
      model: "gpt-4o-mini",
      messages,
      settings: { temperature: 0 },
      text: "[[ ## answer ## ]]\nIt restarts it, then escalates.\n\n[[ ## completed ## ]]",
      usage,
      costUsd: 0.0000412,
      latencyMs: 420,
      cacheHit: false,
      retries: 0,
      adapter: "chat",
      attempt,
      startedAt: Date.now(),
    });
  }
  tracer.endSpan(predict, { status: "ok", outputs: { answer: "It restarts it, then escalates." } });
  tracer.endSpan(root, { status: "ok", outputs: { answer: "It restarts it, then escalates." } });
  return tracer;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function withDatabase<T>(fresh: () => Promise<TestDatabase>, fn: (db: Database) => Promise<T>): Promise<T> {
  const t = await fresh();
  const db = await openDatabase(t.config);
  try {
    return await fn(db);
  } finally {
    await db.close();
    await t.destroy();
  }
}

async function ingest(db: Database): Promise<Row> {
  const pipeline = createEventPipeline({ db, log, bus: new EventBus({ validate: false }), otel: false });
  settle();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (next < INGEST_RUNS) await traceOneRun(pipeline, next++).finish({ status: "ok", output: { answer: "ok" } });
    }),
  );
  await pipeline.flush();
  const seconds = (performance.now() - t0) / 1000;
  const s = pipeline.writer.stats();
  await pipeline.stop();
  settle();
  return {
    backend: db.backend,
    events: s.written,
    "events/s": Math.round(s.written / seconds),
    statements: s.statements,
    "events/statement": Math.round(s.written / s.statements),
    "max held": s.maxHeld,
    "dead letters": s.deadLetters,
    "RSS before MB": mb(rssBefore),
    "RSS after MB": mb(process.memoryUsage().rss),
  };
}

async function durable(db: Database): Promise<Row> {
  const pipeline = createEventPipeline({ db, log, bus: new EventBus({ validate: false }), otel: false });
  const acks: number[] = [];
  const t0 = performance.now();
  for (let round = 0; round < DURABLE_ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: DURABLE_PRODUCERS }, async (_, i) => {
        const t = performance.now();
        await traceOneRun(pipeline, round * DURABLE_PRODUCERS + i).finish({ status: "ok" }, { durable: true });
        acks.push(performance.now() - t);
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const s = pipeline.writer.stats();
  await pipeline.stop();
  acks.sort((a, b) => a - b);
  return {
    backend: db.backend,
    "durable runs": acks.length,
    "runs committed/s": Math.round(acks.length / seconds),
    statements: s.statements,
    "ack p50 ms": Number(quantile(acks, 0.5).toFixed(1)),
    "ack p99 ms": Number(quantile(acks, 0.99).toFixed(1)),
  };
}

function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
  });
}

async function latency(db: Database): Promise<Row[]> {
  const bus = new EventBus({ validate: false });
  const pipeline = createEventPipeline({ db, log, bus, otel: false });
  const http = createServer();
  const realtime = attachRealtime(http, { bus, log, status: () => ({}) as never, statusIntervalMs: 60_000 });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const child = fork(path.join(import.meta.dirname, "events-client.ts"), [url, "runs", "costs"], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  await message(child, "ready");
  const rows: Row[] = [];
  try {
    for (const rate of RATES) {
      settle();
      const rssBefore = process.memoryUsage().rss;
      let rssMax = rssBefore;
      const runsPerSecond = rate / 6; // 6 events per run; the client sees 4 of them (started, 2 LM calls, finished)
      const drive = async (seconds: number) => {
        const t0 = performance.now();
        let runs = 0;
        const pending: Promise<unknown>[] = [];
        while (performance.now() - t0 < seconds * 1000) {
          const due = Math.floor(((performance.now() - t0) / 1000) * runsPerSecond);
          for (; runs < due; runs++) pending.push(traceOneRun(pipeline, runs).finish({ status: "ok" }));
          rssMax = Math.max(rssMax, process.memoryUsage().rss);
          await new Promise((r) => setTimeout(r, 2));
        }
        await Promise.all(pending);
        return { runs, seconds: (performance.now() - t0) / 1000 };
      };
      await drive(1); // warm-up
      child.send({ type: "start", from: Date.now() });
      const driven = await drive(SECONDS);
      await new Promise((r) => setTimeout(r, 300));
      child.send({ type: "stop" });
      const { delays } = await message<{ delays: number[] }>(child, "delays");
      await pipeline.flush();
      settle();
      delays.sort((a, b) => a - b);
      rows.push({
        "target events/s": rate,
        "published events/s": Math.round((driven.runs * 6) / driven.seconds),
        "received by client": delays.length,
        "expected": driven.runs * 4,
        "p50 ms": quantile(delays, 0.5),
        "p90 ms": quantile(delays, 0.9),
        "p99 ms": quantile(delays, 0.99),
        "max ms": delays[delays.length - 1] ?? 0,
        "written to db": pipeline.writer.stats().written,
        "RSS before MB": mb(rssBefore),
        "RSS max MB": mb(rssMax),
        "RSS after MB": mb(process.memoryUsage().rss),
      });
    }
  } finally {
    child.send({ type: "exit" });
    await realtime.close();
    await new Promise((r) => http.close(r));
    await pipeline.stop();
  }
  return rows;
}

export async function run(): Promise<void> {
  const backends = [freshPgliteDatabase, () => freshPostgresDatabase("dspex_bench")];
  const ingestRows: Row[] = [];
  const durableRows: Row[] = [];
  for (const fresh of backends) {
    ingestRows.push(await withDatabase(fresh, ingest));
    durableRows.push(await withDatabase(fresh, durable));
  }
  await report("runtime-events-ingest", ingestRows, { runs: INGEST_RUNS, eventsPerRun: 6, concurrency: INGEST_CONCURRENCY, writer: "defaults (maxBatch 1000, capacity 10000, flush 100 ms)" });
  await report("runtime-events-durable", durableRows, { producers: DURABLE_PRODUCERS, rounds: DURABLE_ROUNDS });
  const latencyRows = await withDatabase(freshPgliteDatabase, latency);
  await report("runtime-events-latency", latencyRows, { seconds: SECONDS, database: "pglite (writer persisting the same events)", client: "socket.io-client in a child process, rooms runs + costs", tickMs: 50 });
}
