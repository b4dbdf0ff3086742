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

/** Raw HTTP/1.1 on one kept-alive connection: `send()` writes one more request; `ended` is everything read until the server closes it. */
function rawConnection(port: number) {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => (text += d));
  const ended = new Promise<string>((resolve) => socket.on("close", () => resolve(text)));
  const send = () => socket.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  send();
  return { ended, send };
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
