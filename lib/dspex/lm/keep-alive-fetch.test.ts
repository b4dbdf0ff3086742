import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { keepAliveFetch } from "./keep-alive-fetch";

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handle: (body: string, res: ServerResponse, url: string) => void): Promise<{ url: string; sockets: () => number }> {
  let sockets = 0;
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => handle(body, res, req.url ?? ""));
  });
  server.on("connection", () => sockets++);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets };
}

const unused: typeof fetch = () => Promise.reject(new Error("the fallback was used"));

describe("keepAliveFetch", () => {
  test("sends method, headers and body, returns status, headers and body, and keeps connections open", async () => {
    const seen: string[] = [];
    const { url, sockets } = await serve((body, res) => {
      seen.push(body);
      res.writeHead(201, { "content-type": "application/json", "x-request-id": "r1" }).end(JSON.stringify({ echo: body }));
    });
    const f = keepAliveFetch(unused);
    for (let i = 0; i < 10; i++) {
      const res = await f(`${url}/v1/chat`, { method: "POST", headers: new Headers({ "Content-Type": "application/json" }), body: `{"n":${i}}` });
      expect(res.status).toBe(201);
      expect(res.headers.get("x-request-id")).toBe("r1");
      expect(await res.json()).toEqual({ echo: `{"n":${i}}` });
    }
    expect(seen).toHaveLength(10);
    // The pool may open a second connection while it is still completing the first reply.
    expect(sockets()).toBeLessThanOrEqual(2);
  });

  test("passes an event stream through as it arrives", async () => {
    let finish: (() => void) | undefined;
    const { url } = await serve((_body, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      finish = () => res.end("data: last\n\n");
    });
    const res = await keepAliveFetch(unused)(url, { method: "POST", body: "{}" });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    finish!();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("data: last\n\n");
  });

  test("an abort rejects with an AbortError (what the SDKs look for)", async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = keepAliveFetch(unused)(url, { method: "POST", body: "{}", signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  test("a body it does not carry (FormData) goes to the fallback", async () => {
    const calls: unknown[] = [];
    const fallback: typeof fetch = (input, init) => (calls.push(init?.body), Promise.resolve(new Response("fallback")));
    const form = new FormData();
    form.set("file", "x");
    const res = await keepAliveFetch(fallback)("http://127.0.0.1:9/upload", { method: "POST", body: form });
    expect(await res.text()).toBe("fallback");
    expect(calls).toEqual([form]);
  });
});
