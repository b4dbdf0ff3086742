import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventBus } from "../runtime/events";
import type { SystemStatus } from "../schemas";
import { attachRealtime, type Realtime } from "./index";

const status = (clients = 0): SystemStatus => ({
  version: "0.0.0-test",
  startedAt: new Date(0).toISOString(),
  now: new Date().toISOString(),
  uptimeSeconds: 1,
  database: { backend: "pglite", location: "/tmp/x", migrationsApplied: 1 },
  lm: { mode: "demo", baseUrl: null, model: null },
  realtime: { clients },
  memory: { rssBytes: 1, heapUsedBytes: 1 },
});

const next = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

describe("realtime server", () => {
  let http: HttpServer;
  let realtime: Realtime;
  let bus: EventBus;
  let url: string;
  const sockets: Socket[] = [];
  const open = () => {
    const s = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true });
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    http = createServer();
    bus = new EventBus();
    realtime = attachRealtime(http, { bus, log: pino({ level: "silent" }), status: () => status(realtime.clientCount()), statusIntervalMs: 50 });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await realtime.close();
    await new Promise((r) => http.close(r));
  });

  it("greets a new browser with the system status, then pushes it periodically", async () => {
    const s = open();
    const first = await next<SystemStatus>(s, "system:status");
    expect(first.version).toBe("0.0.0-test");
    const pushed = await next<SystemStatus>(s, "system:status");
    expect(pushed.realtime.clients).toBe(1);
  });

  it("delivers a bus event only to the browsers in its room", async () => {
    const inRoom = open();
    const outside = open();
    await Promise.all([next(inRoom, "connect"), next(outside, "connect")]);
    const ack = await inRoom.emitWithAck("room:join", "programs:abc");
    expect(ack).toEqual({ ok: true });

    const received: string[] = [];
    outside.on("system:status", (p: SystemStatus) => p.version === "room-only" && received.push("outside"));
    const got = new Promise<SystemStatus>((resolve) => inRoom.on("system:status", (p: SystemStatus) => p.version === "room-only" && resolve(p)));
    bus.publish("system:status", "programs:abc", { ...status(), version: "room-only" });
    expect((await got).version).toBe("room-only");
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });

  it("refuses to join a malformed room and says what a room looks like", async () => {
    const s = open();
    await next(s, "connect");
    expect(await s.emitWithAck("room:join", "../../etc")).toEqual({
      ok: false,
      error: "room must be a feature name such as programs, optionally followed by :<id>",
    });
    expect(await s.emitWithAck("room:join", 42)).toMatchObject({ ok: false });
  });

  it("never sends a payload that fails its schema", async () => {
    const s = open();
    await next(s, "system:status");
    const bad: string[] = [];
    s.on("system:status", (p: SystemStatus) => p.version === "bad" && bad.push(p.version));
    bus.publish("system:status", "system", { ...status(), version: "bad", uptimeSeconds: -5 });
    await next(s, "system:status"); // the next periodic push arrives; the bad one never did
    expect(bad).toEqual([]);
  });
});
