import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type SqlSession } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import type { RuntimeEvent } from "../../schemas";
import { EventStreamError, EventWriter, READY, type EventWriterOptions } from "./index";
import { FakeClock } from "../clock";
import { agentState, lmCall, runFinished, runStarted, spanFinished } from "./testing-fixtures";

/** The real database, with every statement counted; `fail` can refuse statements (an outage) and `gate` can hold them. */
function instrumented(sql: SqlSession) {
  const probe = {
    statements: 0,
    fail: undefined as undefined | ((n: number) => Error | undefined),
    gate: undefined as undefined | Promise<void>,
    session: {
      query: async <Row>(text: string, params?: unknown[]) => {
        const n = ++probe.statements;
        if (probe.gate) await probe.gate;
        const error = probe.fail?.(n);
        if (error) throw error;
        return sql.query<Row>(text, params);
      },
      exec: (script: string) => sql.exec(script),
    } as SqlSession,
  };
  return probe;
}

function capture() {
  const lines: { level: number; msg: string; events?: RuntimeEvent[]; code?: string }[] = [];
  const log = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

const outage = () => Object.assign(new Error("connection reset by peer"), { code: "ECONNRESET" });

function runEvents(n: number, spansPerRun = 2, callsPerRun = 2): RuntimeEvent[] {
  const events: RuntimeEvent[] = [];
  for (let i = 0; i < n; i++) {
    const start = runStarted();
    events.push({ name: "run:started", payload: start });
    for (let s = 0; s < spansPerRun; s++) events.push({ name: "span:finished", payload: spanFinished(start.runId) });
    for (let c = 0; c < callsPerRun; c++) events.push({ name: "lmcall:recorded", payload: lmCall(start.runId) });
    events.push({ name: "run:finished", payload: runFinished(start.runId) });
  }
  return events;
}

describe.each(BACKENDS)("event writer on $backend", ({ fresh }) => {
  let t: TestDatabase;
  let db: Database;
  const writers: EventWriter[] = [];
  const writer = (options: Partial<EventWriterOptions> & { sql: SqlSession }) => {
    const w = new EventWriter({ log: pino({ level: "silent" }), ...options });
    writers.push(w);
    return w;
  };
  const count = async (table: string, where = "TRUE", params: unknown[] = []) =>
    (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params))[0]!.n;

  beforeAll(async () => {
    t = await fresh();
    db = await openDatabase(t.config);
  });
  afterAll(async () => {
    for (const w of writers) await w.stop();
    await db?.close();
    await t?.destroy();
  });

  it("writes thousands of events with one statement per batch, never a row per event", async () => {
    const probe = instrumented(db.sql);
    const w = writer({ sql: probe.session, maxBatch: 1_000, flushIntervalMs: 50 });
    const events = runEvents(500); // 500 runs × 6 events = 3,000 events
    for (const e of events) await w.publish(e);
    await w.flush();
    const ids = events.filter((e) => e.name === "run:started").map((e) => (e.payload as { runId: string }).runId);
    expect(await count("Run", `"id" = ANY($1) AND "status" = 'ok'`, [ids])).toBe(500);
    expect(await count("Span", `"runId" = ANY($1)`, [ids])).toBe(1_000);
    expect(await count("LMCall", `"runId" = ANY($1)`, [ids])).toBe(1_000);
    const stats = w.stats();
    expect(stats.written).toBe(3_000);
    expect(probe.statements).toBe(stats.statements);
    expect(probe.statements).toBeLessThanOrEqual(4); // 3 full batches (+1 if a timer split one)
    expect(stats.flushes).toBe(probe.statements);
  });

  it("merges run:started and run:finished of the same batch into one inserted row", async () => {
    const probe = instrumented(db.sql);
    const w = writer({ sql: probe.session, flushIntervalMs: 10_000 });
    const start = runStarted({ input: { question: "q?" } });
    await w.publish({ name: "run:started", payload: start });
    await w.publish({ name: "run:finished", payload: runFinished(start.runId, { costUsd: 0.000012345, latencyMs: 1234.4, output: { answer: "42" } }) });
    await w.flush();
    expect(probe.statements).toBe(1);
    expect(w.stats().rows).toMatchObject({ runsInserted: 1, runsUpdated: 0 });
    const row = await db.prisma.run.findUniqueOrThrow({ where: { id: start.runId } });
    expect(row).toMatchObject({ status: "ok", traceId: start.traceId, source: "api", latencyMs: 1234, inputTokens: 120, outputTokens: 30, input: { question: "q?" }, output: { answer: "42" } });
    expect(row.costUsd.toString()).toBe("0.000012345");
    expect(row.usage).toEqual({ inputTokens: 120, cachedInputTokens: 20, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 5 });
    expect(row.startedAt.toISOString()).toBe(start.startedAt);
  });

  it("inserts a long run when it starts and updates it in a later batch when it finishes", async () => {
    const probe = instrumented(db.sql);
    const w = writer({ sql: probe.session, flushIntervalMs: 10_000 });
    const start = runStarted();
    await w.publish({ name: "run:started", payload: start });
    await w.flush();
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: start.runId } })).status).toBe("running");
    await w.publish({ name: "span:finished", payload: spanFinished(start.runId, { status: "error", error: "boom" }) });
    await w.publish({ name: "run:finished", payload: runFinished(start.runId, { status: "error", error: "boom", output: undefined }) });
    await w.flush();
    expect(probe.statements).toBe(2);
    expect(w.stats().rows).toMatchObject({ runsInserted: 1, runsUpdated: 1, spans: 1 });
    const row = await db.prisma.run.findUniqueOrThrow({ where: { id: start.runId } });
    expect(row).toMatchObject({ status: "error", error: "boom", output: null, latencyMs: 42 });
    expect(row.endedAt).not.toBeNull();
  });

  it("leaves a young run still going out of another run's durable batch, so it is written once when it ends", async () => {
    const clock = new FakeClock();
    const probe = instrumented(db.sql);
    const w = writer({ sql: probe.session, flushIntervalMs: 1_000, clock });
    const a = runStarted();
    const b = runStarted();
    await w.publish({ name: "run:started", payload: a });
    await w.publish({ name: "run:started", payload: b });
    await w.publish({ name: "span:finished", payload: spanFinished(b.runId) });
    await w.publish({ name: "run:finished", payload: runFinished(a.runId) }, { durable: true });
    expect(await count("Run", `"id" = $1 AND "status" = 'ok'`, [a.runId])).toBe(1);
    expect(await count("Run", `"id" = $1`, [b.runId])).toBe(0);
    await w.publish({ name: "run:finished", payload: runFinished(b.runId) }, { durable: true });
    expect(await count("Run", `"id" = $1 AND "status" = 'ok'`, [b.runId])).toBe(1);
    expect(await count("Span", `"runId" = $1`, [b.runId])).toBe(1);
    expect(w.stats().rows).toMatchObject({ runsInserted: 2, runsUpdated: 0, spans: 1 });

    // A run that goes on past flushIntervalMs is written as running when its time is up, as before.
    const c = runStarted();
    const d = runStarted();
    await w.publish({ name: "run:started", payload: c });
    await w.publish({ name: "run:started", payload: d });
    await w.publish({ name: "run:finished", payload: runFinished(d.runId) }, { durable: true });
    expect(await count("Run", `"id" = $1`, [c.runId])).toBe(0);
    await clock.advance(1_000);
    await w.flush();
    expect(await count("Run", `"id" = $1 AND "status" = 'running'`, [c.runId])).toBe(1);
  });

  it("takes held-back runs along when flush() is asked for", async () => {
    const w = writer({ sql: db.sql, flushIntervalMs: 1_000, clock: new FakeClock() });
    const a = runStarted();
    const b = runStarted();
    await w.publish({ name: "run:started", payload: a });
    await w.publish({ name: "run:started", payload: b });
    await w.publish({ name: "run:finished", payload: runFinished(a.runId) }, { durable: true });
    expect(await count("Run", `"id" = $1`, [b.runId])).toBe(0);
    await w.flush();
    expect(await count("Run", `"id" = $1 AND "status" = 'running'`, [b.runId])).toBe(1);
  });

  it("flushes on its own after flushIntervalMs", async () => {
    const w = writer({ sql: db.sql, flushIntervalMs: 30 });
    const call = lmCall(null);
    await w.publish({ name: "lmcall:recorded", payload: call });
    const t0 = Date.now();
    while ((await count("LMCall", `"id" = $1`, [call.id])) === 0) {
      expect(Date.now() - t0).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(w.stats().flushes).toBe(1);
  });

  it("makes a producer wait while the buffer is full and lets it go when a flush makes room", async () => {
    const probe = instrumented(db.sql);
    let open!: () => void;
    probe.gate = new Promise<void>((r) => (open = r));
    const w = writer({ sql: probe.session, capacity: 100, maxBatch: 50, flushIntervalMs: 10_000 });
    const calls = Array.from({ length: 101 }, () => lmCall(null));
    for (const c of calls.slice(0, 100)) expect(w.publish({ name: "lmcall:recorded", payload: c })).toBe(READY);
    let released = false;
    const blocked = w.publish({ name: "lmcall:recorded", payload: calls[100]! }).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 50)); // a flush has started and is held by the gate
    expect(released).toBe(false);
    expect(w.stats()).toMatchObject({ held: 100, waiting: 1 });
    open();
    await blocked;
    expect(released).toBe(true);
    await w.flush();
    expect(await count("LMCall", `"id" = ANY($1)`, [calls.map((c) => c.id)])).toBe(101);
    expect(w.stats().maxHeld).toBeLessThanOrEqual(100);
  });

  it("takes 20,000 events from concurrent producers with bounded memory and drops none", async () => {
    const w = writer({ sql: db.sql, capacity: 2_000, maxBatch: 500, flushIntervalMs: 20 });
    const marker = `bp-${randomUUID()}`;
    let waited = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 5_000; i++) {
          const result = w.publish({ name: "lmcall:recorded", payload: lmCall(null, { model: marker }) });
          if (result !== READY) {
            waited++;
            await result;
          }
        }
      }),
    );
    await w.flush();
    const stats = w.stats();
    expect(await count("LMCall", `"model" = $1`, [marker])).toBe(20_000);
    expect(stats).toMatchObject({ written: 20_000, deadLetters: 0, held: 0, waiting: 0 });
    expect(stats.maxHeld).toBeLessThanOrEqual(2_000);
    expect(waited).toBeGreaterThan(0); // producers were really held back
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it("drains everything on stop(), then logs later events as dead letters", async () => {
    const { log, lines } = capture();
    const w = writer({ sql: db.sql, log, flushIntervalMs: 10_000, maxBatch: 400, capacity: 5_000 });
    const events = runEvents(300, 1, 1); // 1,200 events, none flushed yet
    for (const e of events) void w.publish(e);
    expect(w.stats().written).toBe(0);
    await w.stop();
    const ids = events.filter((e) => e.name === "run:started").map((e) => (e.payload as { runId: string }).runId);
    expect(await count("Run", `"id" = ANY($1) AND "status" = 'ok'`, [ids])).toBe(300);
    expect(await count("LMCall", `"runId" = ANY($1)`, [ids])).toBe(300);

    const late = lmCall(null);
    expect(w.publish({ name: "lmcall:recorded", payload: late })).toBe(READY);
    await expect(w.publish({ name: "lmcall:recorded", payload: lmCall(null) }, { durable: true })).rejects.toMatchObject({ code: "WRITER_STOPPED" });
    expect(w.deadLetters()[0]).toMatchObject({ code: "WRITER_STOPPED", event: { payload: { id: late.id } } });
    expect(lines.find((l) => l.code === "WRITER_STOPPED")?.events?.[0]).toMatchObject({ payload: { id: late.id } });
  });

  it("acknowledges durable events once committed, many producers sharing one flush (group commit)", async () => {
    const probe = instrumented(db.sql);
    const w = writer({ sql: probe.session, flushIntervalMs: 60_000 });
    const calls = Array.from({ length: 50 }, () => lmCall(null));
    await Promise.all(calls.map((c) => w.publish({ name: "lmcall:recorded", payload: c }, { durable: true })));
    // Resolved means committed: visible to any reader now, without waiting for the interval.
    expect(await count("LMCall", `"id" = ANY($1)`, [calls.map((c) => c.id)])).toBe(50);
    expect(probe.statements).toBe(1);
  });

  it("retries a batch that fails for a passing reason, and writes it", async () => {
    const probe = instrumented(db.sql);
    probe.fail = (n) => (n <= 2 ? outage() : undefined);
    const { log, lines } = capture();
    const w = writer({ sql: probe.session, log, retries: 3, retryDelayMs: 5 });
    const call = lmCall(null);
    await w.publish({ name: "lmcall:recorded", payload: call }, { durable: true });
    expect(await count("LMCall", `"id" = $1`, [call.id])).toBe(1);
    expect(w.stats()).toMatchObject({ retries: 2, statements: 3, deadLetters: 0 });
    expect(lines.filter((l) => l.msg.includes("retrying"))).toHaveLength(2);
  });

  it("keeps a batch that still fails after its retries as logged dead letters, and writes them on retryDeadLetters()", async () => {
    const probe = instrumented(db.sql);
    probe.fail = () => outage();
    const { log, lines } = capture();
    const w = writer({ sql: probe.session, log, retries: 2, retryDelayMs: 1 });
    const calls = [lmCall(null), lmCall(null)];
    const acks = calls.map((c) => w.publish({ name: "lmcall:recorded", payload: c }, { durable: true }));
    for (const ack of acks) await expect(ack).rejects.toBeInstanceOf(EventStreamError);
    await expect(acks[0]).rejects.toMatchObject({ code: "EVENT_WRITE_FAILED" });
    expect(probe.statements).toBe(3);
    expect(w.deadLetters().map((d) => (d.event.payload as { id: string }).id)).toEqual(calls.map((c) => c.id));
    const logged = lines.find((l) => l.level === 50)!;
    expect(logged.events?.map((e) => (e.payload as { id: string }).id)).toEqual(calls.map((c) => c.id));

    probe.fail = undefined; // the database is back
    expect(await w.retryDeadLetters()).toBe(2);
    await w.flush();
    expect(await count("LMCall", `"id" = ANY($1)`, [calls.map((c) => c.id)])).toBe(2);
    expect(w.deadLetters()).toHaveLength(0);
  });

  it("isolates an event the database refuses (a span of an unknown run) and writes the rest of its batch", async () => {
    const probe = instrumented(db.sql);
    const { log } = capture();
    const w = writer({ sql: probe.session, log, flushIntervalMs: 10_000 });
    const good = Array.from({ length: 200 }, () => lmCall(null));
    const poison = spanFinished(`missing-${randomUUID()}`);
    for (const c of good.slice(0, 100)) void w.publish({ name: "lmcall:recorded", payload: c });
    void w.publish({ name: "span:finished", payload: poison });
    for (const c of good.slice(100)) void w.publish({ name: "lmcall:recorded", payload: c });
    await w.flush();
    expect(await count("LMCall", `"id" = ANY($1)`, [good.map((c) => c.id)])).toBe(200);
    expect(w.deadLetters()).toHaveLength(1);
    expect(w.deadLetters()[0]).toMatchObject({ code: "EVENT_WRITE_FAILED", event: { name: "span:finished", payload: { spanId: poison.spanId } } });
    expect(probe.statements).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(201)) + 1); // halving, not one statement per event
  });

  it("isolates a malformed payload (possible when production skips validation) instead of losing its batch", async () => {
    const { log } = capture();
    const w = writer({ sql: db.sql, log, flushIntervalMs: 10_000 });
    const good = Array.from({ length: 20 }, () => lmCall(null));
    const broken = { ...lmCall(null), usage: undefined } as unknown as ReturnType<typeof lmCall>;
    for (const c of [...good.slice(0, 10), broken, ...good.slice(10)]) void w.publish({ name: "lmcall:recorded", payload: c });
    await w.flush();
    expect(await count("LMCall", `"id" = ANY($1)`, [good.map((c) => c.id)])).toBe(20);
    expect(w.deadLetters().map((d) => (d.event.payload as { id: string }).id)).toEqual([broken.id]);
  });

  it("reports a run:finished for a run that was never started", async () => {
    const { log } = capture();
    const w = writer({ sql: db.sql, log });
    await expect(w.publish({ name: "run:finished", payload: runFinished(`ghost-${randomUUID()}`) }, { durable: true })).rejects.toMatchObject({ code: "EVENT_WRITE_FAILED" });
    expect(w.deadLetters()[0]).toMatchObject({ code: "RUN_NOT_FOUND" });
  });

  it("keeps each agent's latest state and every state change as an agent event", async () => {
    const w = writer({ sql: db.sql, flushIntervalMs: 10_000 });
    const a = `agent-${randomUUID()}`;
    const b = `agent-${randomUUID()}`;
    const t0 = Date.now();
    const at = (i: number) => new Date(t0 + i).toISOString();
    await w.publish({ name: "agent:state", payload: agentState(a, { state: "idle", at: at(0) }) });
    await w.publish({ name: "agent:state", payload: agentState(a, { state: "busy", mailboxDepth: 3, at: at(1) }) });
    await w.publish({ name: "agent:state", payload: agentState(b, { state: "idle", at: at(2) }) });
    await w.publish({ name: "agent:state", payload: agentState(a, { state: "waiting", processed: 7, at: at(3) }) });
    await w.flush();
    expect(await db.prisma.agent.findUniqueOrThrow({ where: { id: a } })).toMatchObject({ state: "waiting", processed: 7, systemId: "sys1" });
    expect(await count("AgentEvent", `"agentId" = ANY($1)`, [[a, b]])).toBe(4);
    await w.publish({ name: "agent:state", payload: agentState(a, { state: "stopped", at: at(4) }) });
    await w.flush();
    expect((await db.prisma.agent.findUniqueOrThrow({ where: { id: a } })).state).toBe("stopped");
  });
});
