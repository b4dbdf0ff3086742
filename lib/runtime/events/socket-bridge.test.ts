import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db";
import { freshPgliteDatabase } from "../../db/testing";
import { attachRealtime, createRealtimeEmitter, type Realtime, type RealtimeOptions } from "../../realtime";
import type { StreamGap, SystemStatus } from "../../schemas";
import { createEventPipeline, EventBus } from "./index";
import { agentState, lmCall, runStarted, spanFinished } from "./testing-fixtures";

const status = (): SystemStatus => ({
  version: "test",
  startedAt: new Date(0).toISOString(),
  now: new Date().toISOString(),
  uptimeSeconds: 1,
  database: { backend: "pglite", location: "/tmp/x", migrationsApplied: 1 },
  lm: { mode: "demo", baseUrl: null, model: null },
  realtime: { clients: 0 },
  memory: { rssBytes: 1, heapUsedBytes: 1 },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  http: HttpServer;
  realtime: Realtime;
  bus: EventBus;
  url: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startNode(options: Partial<RealtimeOptions> = {}): Promise<Node> {
  const http = createServer();
  const bus = options.bus ?? new EventBus({ validate: false });
  const realtime = attachRealtime(http, { bus, log: pino({ level: "silent" }), status, statusIntervalMs: 60_000, ...options });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  cleanups.push(async () => {
    await realtime.close();
    await new Promise((r) => http.close(r));
  });
  return { http, realtime, bus, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

/** A browser: connects, joins rooms, records every event it gets in order. */
async function browser(url: string, rooms: string[]) {
  const socket: Socket = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true });
  cleanups.push(() => void socket.close());
  const got: { name: string; payload: Record<string, unknown>; at: number }[] = [];
  socket.onAny((name: string, payload: Record<string, unknown>) => {
    if (name !== "system:status") got.push({ name, payload, at: Date.now() });
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  for (const room of rooms) expect(await socket.emitWithAck("room:join", room)).toEqual({ ok: true });
  return { socket, got };
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error("timed out waiting");
    await sleep(5);
  }
}

describe("socket bridge", () => {
  it("routes each event to its rooms, once per browser, without the LM messages", async () => {
    const node = await startNode();
    const start = runStarted({ runId: "run-1", programId: "prog-1" });
    const trace = await browser(node.url, ["runs:run-1"]);
    const program = await browser(node.url, ["programs:prog-1"]);
    const costs = await browser(node.url, ["costs"]);
    const list = await browser(node.url, ["runs", "runs:run-1"]); // in two of the event's rooms
    const other = await browser(node.url, ["runs:run-2", "agents"]);

    void node.bus.emit("run:started", start);
    void node.bus.emit("span:finished", spanFinished("run-1"));
    void node.bus.emit("lmcall:recorded", lmCall("run-1"));
    await until(() => trace.got.length === 3 && costs.got.length === 1 && list.got.length === 3 && program.got.length === 1);
    await sleep(100);

    expect(trace.got.map((e) => e.name)).toEqual(["run:started", "span:finished", "lmcall:recorded"]);
    expect(list.got.map((e) => e.name)).toEqual(["run:started", "span:finished", "lmcall:recorded"]);
    expect(program.got.map((e) => e.name)).toEqual(["run:started"]);
    expect(costs.got.map((e) => e.name)).toEqual(["lmcall:recorded"]);
    expect(other.got).toEqual([]);
    expect(costs.got[0]!.payload).not.toHaveProperty("request");
    expect(costs.got[0]!.payload).not.toHaveProperty("response");
    expect(costs.got[0]!.payload).toMatchObject({ runId: "run-1", model: "gpt-4o-mini", costUsd: 0.0000615 });
  });

  it("paces a burst into a few ticks and keeps every history event in order", async () => {
    const node = await startNode({ bridge: { tickMs: 50 } });
    const b = await browser(node.url, ["runs:run-b"]);
    const spans = Array.from({ length: 1_000 }, (_, i) => spanFinished("run-b", { name: `s${i}` }));
    const t0 = Date.now();
    for (let i = 0; i < spans.length; i++) {
      void node.bus.emit("span:finished", spans[i]!);
      if (i % 100 === 99) await sleep(20); // 1,000 events over ~200 ms
    }
    await until(() => b.got.length === 1_000);
    expect(b.got.map((e) => e.payload.name)).toEqual(spans.map((s) => s.name));
    const stats = node.realtime.bridge.stats();
    expect(stats.emitted).toBe(1_000);
    // One emit per event, but grouped in ticks: at most one per 50 ms (plus the leading one).
    expect(stats.ticks).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 50) + 1);
    expect(stats.ticks).toBeLessThan(20);
  });

  it("sends a lone event at once (leading edge), not a tick later", async () => {
    const node = await startNode({ bridge: { tickMs: 2_000 } });
    const b = await browser(node.url, ["costs"]);
    const t0 = Date.now();
    void node.bus.emit("lmcall:recorded", lmCall(null));
    await until(() => b.got.length === 1);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("coalesces state events: a browser gets only the latest state of each agent per tick", async () => {
    const node = await startNode({ bridge: { tickMs: 100 } });
    const b = await browser(node.url, ["agents"]);
    void node.bus.emit("agent:state", agentState("a0", { processed: 0 })); // leading edge: sent alone
    await until(() => b.got.length === 1);
    for (let i = 1; i <= 100; i++) {
      void node.bus.emit("agent:state", agentState("a1", { processed: i }));
      void node.bus.emit("agent:state", agentState("a2", { processed: 1_000 + i }));
    }
    await until(() => b.got.length >= 3);
    await sleep(250);
    expect(b.got.map((e) => [e.payload.agentId, e.payload.processed])).toEqual([
      ["a0", 0],
      ["a1", 100],
      ["a2", 1_100],
    ]);
    expect(node.realtime.bridge.stats().coalesced).toBe(198);
  });

  it("past a room's share per tick, skips history events and tells the room to refetch (stream:gap)", async () => {
    const node = await startNode({ bridge: { tickMs: 100, maxPerRoomPerTick: 50 } });
    const b = await browser(node.url, ["runs:run-g"]);
    await sleep(150); // past the leading edge: the burst below shares one tick
    for (let i = 0; i < 200; i++) void node.bus.emit("span:finished", spanFinished("run-g", { name: `s${i}` }));
    await until(() => b.got.some((e) => e.name === "stream:gap"));
    await sleep(150);
    const spans = b.got.filter((e) => e.name === "span:finished");
    expect(spans.map((e) => e.payload.name)).toEqual(Array.from({ length: 50 }, (_, i) => `s${i}`));
    const gap = b.got.find((e) => e.name === "stream:gap")!.payload as unknown as StreamGap;
    expect(gap).toMatchObject({ room: "runs:run-g", dropped: 150 });
    expect(node.realtime.bridge.stats().dropped).toBe(150);
  });

  it("never sends an invalid payload, even when the bus does not validate (production)", async () => {
    const node = await startNode();
    const b = await browser(node.url, ["costs"]);
    void node.bus.emit("lmcall:recorded", { ...lmCall(null), costUsd: -5 });
    void node.bus.emit("lmcall:recorded", lmCall(null, { model: "fine" }));
    await until(() => b.got.length === 1);
    await sleep(100);
    expect(b.got.map((e) => e.payload.model)).toEqual(["fine"]);
    expect(node.realtime.bridge.stats().invalid).toBe(1);
  });
});

async function redisOrSkip(): Promise<Redis | undefined> {
  const redis = new Redis(process.env.DSPEX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

describe("socket bridge, scaled out on Redis streams", async () => {
  const probe = await redisOrSkip();
  probe?.disconnect();

  it.skipIf(!probe)("delivers an event emitted on one server (or a worker) to a browser connected to another", async () => {
    const stream = `dspex-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const clients = [await redisOrSkip(), await redisOrSkip(), await redisOrSkip()] as Redis[];
    cleanups.push(async () => {
      for (const c of clients) await c.quit();
    });
    const a = await startNode({ redis: clients[0], redisStreamName: stream });
    const b = await startNode({ redis: clients[1], redisStreamName: stream });
    const viewer = await browser(b.url, ["costs"]);
    await sleep(200); // the adapters' stream readers start

    void a.bus.emit("lmcall:recorded", lmCall(null, { model: "from-server-a" }));
    await until(() => viewer.got.length === 1, 5_000);
    expect(viewer.got[0]!.payload.model).toBe("from-server-a");

    // A worker: no HTTP server, its pipeline bridges to an emitter on the same stream.
    const t = await freshPgliteDatabase();
    const db = await openDatabase(t.config);
    const emitter = createRealtimeEmitter(clients[2]!, stream);
    const pipeline = createEventPipeline({ db, log: pino({ level: "silent" }), io: emitter.io, otel: false });
    cleanups.push(async () => {
      await pipeline.stop();
      await emitter.close();
      await db.close();
      await t.destroy();
    });
    await sleep(200);
    void pipeline.bus.emit("lmcall:recorded", lmCall(null, { model: "from-worker" }));
    await until(() => viewer.got.length === 2, 5_000);
    expect(viewer.got[1]!.payload.model).toBe("from-worker");
  });
});
