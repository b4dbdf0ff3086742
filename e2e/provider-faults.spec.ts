// A provider that misbehaves, against the production server (npm start): one request in five a
// fault (429 with Retry-After, 500, a hang, malformed JSON, a reply cut short) under 500
// predictions at once, then the faults stop; and 5x overload against a limit of requests per
// minute. Every request ends with an HTTP status (an answer or a typed error), no run is left
// running, the server recovers once the provider does, and the provider never sees more than the
// limit. Counts only; npm run bench -- reliability measures times.
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { createDemoLM } from "../lib/dspex";
import { serveLM, toLMRequest, type OpenAIServer, type ServerReply } from "../lib/dspex/testing";
import { signIn } from "./fixtures/auth";
import { startServer, waitReady, type ServerProcess } from "./fixtures/server-process";

const BASE_PORT = Number(process.env.E2E_PORT ?? 3100) + 40;
const NO_COOKIES = { cookies: [], origins: [] };

type Outcome = { readonly kind: "answered"; readonly status: number; readonly code: string | null; readonly retryAfter: string | null } | { readonly kind: "cut"; readonly error: string };

function predict(agent: Agent, url: string, key: string, i: number): Promise<Outcome> {
  const body = JSON.stringify({ input: { context: "DSPEx supervises agents.", question: `What does DSPEx supervise? (${i})` } });
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/api/v1/programs/qa/predict`, { method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "cut", error: e.code ?? e.message }));
      res.on("end", () => {
        let code: string | null = null;
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          code = "unparsable body";
        }
        const retryAfter = res.headers["retry-after"];
        resolve({ kind: "answered", status: res.statusCode ?? 0, code, retryAfter: typeof retryAfter === "string" ? retryAfter : null });
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "cut", error: e.code ?? e.message }));
    req.end(body);
  });
}

function tally(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const k = o.kind === "cut" ? `cut ${o.error}` : o.status === 200 ? "200" : `${o.status} ${o.code}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/** A provider answering as the demo model, one request in five a fault while `faulty` says so. */
async function faultyProvider(faulty: () => boolean): Promise<OpenAIServer> {
  const healthy = createDemoLM({ latencyMs: { min: 20, max: 80 } });
  const server = await serveLM(healthy, { record: false });
  const faults: ServerReply[] = [{ type: "rate-limit", retryAfterSeconds: 1 }, { type: "error", status: 500 }, { type: "hang" }, { type: "malformed" }];
  let n = 0;
  server.respondWith(async (request) => {
    const i = n++;
    const reply = await healthy.complete(toLMRequest(request.body));
    if (faulty() && i % 5 === 0) {
      const kind = (i / 5) % 5;
      return faults[kind] ?? { type: "truncated", text: reply.text.slice(0, Math.ceil(reply.text.length / 5)) };
    }
    return { text: reply.text, usage: { promptTokens: reply.usage.inputTokens, completionTokens: reply.usage.outputTokens } };
  });
  return server;
}

async function startWith(lm: OpenAIServer, port: number, env: Record<string, string>): Promise<{ server: ServerProcess; key: string; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "dspex-provider-faults-"));
  const server = startServer({ DSPEX_DATA_DIR: dataDir, DSPEX_LM_BASE_URL: lm.baseURL, DSPEX_LM_API_KEY: "sk-faults", DSPEX_LM_MODEL: "dspex-demo-1", DSPEX_API_RATE_LIMIT: "100000000", LOG_LEVEL: "warn", ...env }, port);
  await waitReady(server, 240_000);
  const api = await playwrightRequest.newContext({ baseURL: server.url, storageState: NO_COOKIES });
  await signIn(api, server.url);
  const csrf = (await api.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
  const created = await api.post("/api/v1/api-keys", { headers: { "x-csrf-token": csrf }, data: { name: "provider faults", scopes: ["predict", "read"], rateLimitPerMinute: 1_000_000 } });
  expect(created.status(), await created.text()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  await api.dispose();
  return { server, key, dataDir };
}

test.describe("a misbehaving provider", () => {
  test.describe.configure({ timeout: 300_000 });

  test("faults in one request of five under 500 predictions: every request ends with a status, no run is left running, and the server recovers", async () => {
    let faulty = true;
    const lm = await faultyProvider(() => faulty);
    const { server, key, dataDir } = await startWith(lm, BASE_PORT, { DSPEX_LM_TIMEOUT_MS: "2000" });
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: 500 });
      const outcomes = await Promise.all(Array.from({ length: 500 }, (_, i) => predict(agent, server.url, key, i)));
      expect(outcomes.filter((o) => o.kind === "cut"), "requests cut without a status").toEqual([]);
      // An error is a typed error body, never an unexplained failure.
      expect(outcomes.filter((o) => o.kind === "answered" && o.status !== 200 && (o.code === null || o.code === "INTERNAL" || o.code === "unparsable body"))).toEqual([]);
      faulty = false;
      // Once the provider is healthy, the breaker lets calls through again: 20 in a row succeed.
      await expect.poll(async () => {
        const o = await predict(agent, server.url, key, 1_001);
        return o.kind === "answered" ? o.status : 0;
      }, { timeout: 60_000, intervals: [500, 1_000, 2_000] }).toBe(200);
      const after: Outcome[] = [];
      for (let i = 0; i < 20; i++) after.push(await predict(agent, server.url, key, 2_000 + i));
      expect(after.map((o) => (o.kind === "answered" ? o.status : o.error))).toEqual(Array.from({ length: 20 }, () => 200));
      agent.destroy();
      const reader = await playwrightRequest.newContext({ baseURL: server.url, storageState: NO_COOKIES, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
      await expect.poll(async () => ((await (await reader.get("/api/v1/runs?status=running&limit=1")).json()) as { total: number }).total, { timeout: 60_000 }).toBe(0);
      await reader.dispose();
      test.info().annotations.push({ type: "figures", description: `500 predictions, 1 in 5 provider requests a fault: ${tally(outcomes)}; after the faults stop 20/20 answered 200` });
    } finally {
      await server.stop("SIGTERM");
      await lm.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test("5x overload against 20 requests per minute: the provider never sees more than 20, callers get 200 or 429 with Retry-After", async () => {
    const lm = await faultyProvider(() => false);
    const { server, key, dataDir } = await startWith(lm, BASE_PORT + 1, { DSPEX_LM_RPM: "20", DSPEX_LM_MAX_WAIT_MS: "3000" });
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: 100 });
      const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => predict(agent, server.url, key, i)));
      agent.destroy();
      expect(lm.requestCount).toBeLessThanOrEqual(20);
      const other = outcomes.filter((o) => !(o.kind === "answered" && (o.status === 200 || (o.status === 429 && o.retryAfter !== null && Number(o.retryAfter) >= 1))));
      expect(other, "answers other than 200 or 429 with Retry-After").toEqual([]);
      expect(outcomes.filter((o) => o.kind === "answered" && o.status === 429).length).toBeGreaterThan(0);
      test.info().annotations.push({ type: "figures", description: `100 predictions against 20/min: provider saw ${lm.requestCount}; ${tally(outcomes)}` });
    } finally {
      await server.stop("SIGTERM");
      await lm.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
