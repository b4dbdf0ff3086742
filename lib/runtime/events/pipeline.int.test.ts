import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainOfThought } from "../../dspex";
import { byFields, FakeLM } from "../../dspex/testing";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import { attachRealtime } from "../../realtime";
import { createEventPipeline, EventBus } from "./index";

describe.each(BACKENDS)("event pipeline on $backend", ({ fresh }) => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await fresh();
    db = await openDatabase(t.config);
  });
  afterAll(async () => {
    await db?.close();
    await t?.destroy();
  });

  it("runs a program: the trace lands in the database with the exact messages and live in the browser without them", async () => {
    const log = pino({ level: "silent" });
    const bus = new EventBus();
    const pipeline = createEventPipeline({ db, log, bus, otel: false, writer: { flushIntervalMs: 50 } });
    const http = createServer();
    const realtime = attachRealtime(http, { bus, log, status: () => ({}) as never, statusIntervalMs: 60_000 });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { path: "/socket.io", transports: ["websocket"], forceNew: true });
    try {
      await new Promise<void>((r) => socket.once("connect", () => r()));
      await socket.emitWithAck("room:join", "costs");
      const pushed: Record<string, unknown>[] = [];
      socket.on("lmcall:recorded", (p: Record<string, unknown>) => pushed.push(p));

      const lm = new FakeLM((request) => ({ text: byFields(() => ({ reasoning: "r", answer: "Paris" }))(request, 0) as string, usage: { inputTokens: 70, outputTokens: 9 }, costUsd: 0.0005 }));
      const tracer = pipeline.tracer({ source: "api", programName: "capitals", input: { question: "Capital of France?" } });
      const output = await new ChainOfThought("question -> answer").run({ question: "Capital of France?" }, { lm, tracer });
      const summary = await tracer.finish({ status: "ok", output }, { durable: true });

      // Durable: committed when finish() resolves.
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: tracer.runId }, include: { spans: true, lmCalls: true } });
      expect(run).toMatchObject({ status: "ok", traceId: tracer.traceId, output: { reasoning: "r", answer: "Paris" }, inputTokens: 70, outputTokens: 9 });
      expect(run.costUsd.toString()).toBe("0.0005");
      expect(run.spans.map((s) => s.kind).sort()).toEqual(["predict", "program"]);
      expect(run.lmCalls).toHaveLength(1);
      expect((run.lmCalls[0]!.request as { messages: { content: string }[] }).messages.map((m) => m.content)).toEqual(lm.requests[0]!.messages.map((m) => m.content));
      expect(run.lmCalls[0]!.response).toMatchObject({ text: expect.stringContaining("Paris") });
      expect(summary.costUsd).toBe(0.0005);

      await new Promise((r) => setTimeout(r, 200));
      expect(pushed).toHaveLength(1);
      expect(pushed[0]).toMatchObject({ runId: tracer.runId, costUsd: 0.0005 });
      expect(pushed[0]).not.toHaveProperty("request");

      // stop() drains what is still buffered.
      const late = pipeline.tracer({ source: "script" });
      await late.finish({ status: "ok" });
      await pipeline.stop();
      expect(await db.prisma.run.count({ where: { id: late.runId, status: "ok" } })).toBe(1);
    } finally {
      socket.close();
      await realtime.close();
      await new Promise((r) => http.close(r));
      await pipeline.stop();
    }
  });
});
