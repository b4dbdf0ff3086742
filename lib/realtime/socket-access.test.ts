// Who may hold a live socket: only pages of this site (Origin), only identified browsers, only
// while their session lasts (checked at every room join), and ended sessions lose their sockets.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventBus } from "../runtime/events";
import type { SystemStatus } from "../schemas";
import { attachRealtime, type Realtime } from "./index";

const status = {} as SystemStatus;
const once = <T>(socket: Socket, event: string) => new Promise<T>((resolve) => socket.once(event, resolve));

describe("socket access", () => {
  let http: HttpServer;
  let realtime: Realtime;
  let url: string;
  let port: number;
  // Cookie "s=<session>" names a session; the set holds the live ones, each of user "u-<session>".
  const live = new Set<string>();
  const sessionOf = (cookie: string | undefined) => /s=(\w+)/.exec(cookie ?? "")?.[1];
  const sockets: Socket[] = [];
  const open = (session: string | undefined, origin?: string) => {
    const headers: Record<string, string> = {};
    if (session) headers.cookie = `s=${session}`;
    if (origin) headers.origin = origin;
    const s = connect(url, { path: "/socket.io", transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: headers });
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    live.clear();
    http = createServer();
    realtime = attachRealtime(http, {
      bus: new EventBus(),
      log: pino({ level: "silent" }),
      status: () => status,
      statusIntervalMs: 60_000,
      identify: async (cookie) => {
        const s = sessionOf(cookie);
        return s && live.has(s) ? { sessionId: s, userId: `u-${s}` } : undefined;
      },
      canJoin: async (cookie) => live.has(sessionOf(cookie) ?? ""),
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    port = (http.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await realtime.close();
    await new Promise((r) => http.close(r));
  });

  it("refuses a page of another origin (another port of the same host) even with a live session cookie", async () => {
    live.add("a");
    const foreign = open("a", `http://127.0.0.1:${port + 1}`);
    expect((await once<Error>(foreign, "connect_error")).message).toBeTruthy();
    const same = open("a", `http://127.0.0.1:${port}`);
    await once(same, "connect");
    expect(same.connected).toBe(true);
  });

  it("refuses a browser without a live session", async () => {
    const s = open("nobody");
    expect((await once<Error>(s, "connect_error")).message).toMatch(/UNAUTHORIZED/);
  });

  it("checks the session at every room join: an ended session is refused and loses its socket", async () => {
    live.add("b");
    const s = open("b");
    await once(s, "connect");
    expect(await s.emitWithAck("room:join", "runs")).toEqual({ ok: true });
    live.delete("b");
    const gone = once(s, "disconnect");
    expect(await s.emitWithAck("room:join", "costs")).toMatchObject({ ok: false });
    await gone;
  });

  it("drops the sockets of a session at sign-out and of a user when the account is disabled, and no others", async () => {
    for (const id of ["c", "d", "e"]) live.add(id);
    const [c, d, e] = [open("c"), open("d"), open("e")];
    await Promise.all([once(c, "connect"), once(d, "connect"), once(e, "connect")]);
    const cGone = once(c, "disconnect");
    realtime.endSessions({ sessionId: "c" });
    await cGone;
    const dGone = once(d, "disconnect");
    realtime.endSessions({ userId: "u-d" });
    await dGone;
    expect(await e.emitWithAck("room:join", "runs")).toEqual({ ok: true });
    expect([c.connected, d.connected, e.connected]).toEqual([false, false, true]);
  });
});
