import { createServer, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createHttpDrain } from "./http-drain";

/** A server whose responses wait until `release()`; counts the requests its handler saw. */
async function blockingServer() {
  const server = createServer();
  const drain = createHttpDrain(server, 7);
  const waiting: ServerResponse[] = [];
  let seen = 0;
  server.on(
    "request",
    drain.handler((_req, res) => {
      seen++;
      waiting.push(res);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    drain,
    port,
    seen: () => seen,
    waiting,
    release: () => waiting.splice(0).forEach((res) => res.writeHead(200, { "content-type": "text/plain" }).end("done")),
  };
}

/**
 * Raw HTTP/1.1 on one kept-alive connection: `send()` writes one more request; `ended` is
 * everything read until the server closes it, or the error code if the connection was reset.
 */
function rawConnection(port: number) {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  let reset: string | undefined;
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => (text += d));
  socket.on("error", (e: NodeJS.ErrnoException) => (reset = e.code ?? e.message));
  const ended = new Promise<string>((resolve) => socket.on("close", () => resolve(reset ?? text)));
  const send = () => socket.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  send();
  return { ended, send, received: () => text };
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
});

describe("createHttpDrain", () => {
  test("a request behind one in flight on a kept-alive connection gets 503 with Retry-After, and the one in flight finishes", async () => {
    const s = await blockingServer();
    server = s.server;
    const conn = rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    const closed = s.drain.close(10_000);
    expect(s.drain.draining).toBe(true);
    conn.send();
    await expect.poll(() => s.drain.refused).toBe(1); // refused while the first still waits
    s.release();
    expect(await closed).toBe(true);
    expect(s.drain.inFlight).toBe(0);
    const text = await conn.ended;
    expect(statuses(text)).toEqual([200, 503]);
    expect(text).toMatch(/retry-after: 7/i);
    expect(text).toContain('"code":"SHUTTING_DOWN"');
    expect(s.seen()).toBe(1);
  });

  test("a reply in flight when the stop begins says Connection: close", async () => {
    const s = await blockingServer();
    server = s.server;
    const conn = rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    const closed = s.drain.close(10_000);
    s.release();
    expect(await closed).toBe(true);
    const text = await conn.ended;
    expect(statuses(text)).toEqual([200]);
    expect(text).toMatch(/connection: close/i);
  });

  test("a request written on an idle kept-alive connection as the stop begins gets 503, not a reset", async () => {
    const s = await blockingServer();
    server = s.server;
    const conn = rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    s.release();
    await expect.poll(() => statuses(conn.received())).toEqual([200]);
    conn.send();
    const closed = s.drain.close(1_000);
    expect(await closed).toBe(true);
    expect(statuses(await conn.ended)).toEqual([200, 503]);
    expect(s.seen()).toBe(1);
  });

  test("an idle kept-alive connection stays open while requests are in flight, and a request on it gets 503", async () => {
    const s = await blockingServer();
    server = s.server;
    const idleConn = rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    s.release();
    await expect.poll(() => statuses(idleConn.received())).toEqual([200]);
    rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(2);
    const closed = s.drain.close(10_000);
    idleConn.send();
    await expect.poll(() => s.drain.refused).toBe(1);
    expect(statuses(await idleConn.ended)).toEqual([200, 503]);
    s.release();
    expect(await closed).toBe(true);
  });

  test("a new connection while requests are in flight is answered 503, not reset; once they finish none is accepted", async () => {
    const s = await blockingServer();
    server = s.server;
    rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    const closed = s.drain.close(10_000);
    const late = rawConnection(s.port);
    expect(statuses(await late.ended)).toEqual([503]);
    s.release();
    expect(await closed).toBe(true);
    const refused = await new Promise<string>((resolve) => connect(s.port, "127.0.0.1").once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "")).once("connect", () => resolve("connected")));
    expect(refused).toBe("ECONNREFUSED");
  });

  test("a connection made just as the stop begins, with nothing in flight, is answered 503, not reset", async () => {
    const s = await blockingServer();
    server = s.server;
    const late = rawConnection(s.port);
    const closed = s.drain.close(10_000);
    expect(statuses(await late.ended)).toEqual([503]);
    expect(await closed).toBe(true);
  });

  test("kept-alive connections between requests close at once and new connections are not accepted", async () => {
    const s = await blockingServer();
    server = s.server;
    const conn = rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    s.release();
    await expect.poll(() => s.drain.inFlight).toBe(0);
    expect(await s.drain.close(1_000)).toBe(true);
    expect(statuses(await conn.ended)).toEqual([200]);
    const refused = await new Promise<string>((resolve) => connect(s.port, "127.0.0.1").once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "")).once("connect", () => resolve("connected")));
    expect(refused).toBe("ECONNREFUSED");
  });

  test("close resolves false when requests are still in flight at its deadline", async () => {
    const s = await blockingServer();
    server = s.server;
    rawConnection(s.port);
    await expect.poll(() => s.seen()).toBe(1);
    expect(await s.drain.close(50)).toBe(false);
    expect(s.drain.inFlight).toBe(1);
    s.release();
  });
});
