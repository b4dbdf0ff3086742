import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { PredictBatchResponseSchema } from "../../schemas";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

const BATCH = "/api/v1/programs/classify/predict/batch";
const tickets = ["I was charged twice this month", "The export button crashes the app", "Please add dark mode", "I cannot log in with my magic link"];

describe.each(BACKENDS)("POST /api/v1/programs/:name/predict/batch on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let slow: TestServing;
  let server: TestServer;
  let slowServer: TestServer;
  let key: string;

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma, options: { runTimeoutMs: 200, batchConcurrency: 2, maxBatchBodyBytes: 64 * 1024 } });
    // The demo model answering after 20 ms, so items overlap and the concurrency limit shows.
    slow = await createTestServing({ prisma: t.prisma, demoLM: { latencyMs: 20 }, options: { batchConcurrency: 3 }, persistRuns: false });
    server = await startTestServer(s.api);
    slowServer = await startTestServer(slow.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "batch" })).key;
  });
  afterAll(async () => {
    await server?.close();
    await slowServer?.close();
  });

  it("answers one result per input in order: outputs of good items, the error of a bad one; each item is its own recorded run", async () => {
    const inputs = [{ ticket: tickets[0] }, { ticket: 7, extra: "no" }, { ticket: tickets[1] }];
    const body = bodyOf(await callApi(server.url, "POST", BATCH, { key, body: { inputs } }), PredictBatchResponseSchema);
    expect(body.results.map((r) => r.ok)).toEqual([true, false, true]);
    const program = (await s.resolver.resolveProgram("classify")).module;
    for (const i of [0, 2]) {
      const item = body.results[i]!;
      if (!item.ok) throw new Error("expected ok");
      expect(item.output).toEqual(await program.run(inputs[i]!, s.lm));
      expect(await t.prisma.run.findUniqueOrThrow({ where: { id: item.runId } })).toMatchObject({ status: "ok", source: "api" });
    }
    const bad = body.results[1]!;
    if (bad.ok) throw new Error("expected an error");
    expect(bad).toMatchObject({ runId: null, traceId: null, error: { code: "INPUT_INVALID" } });
    expect(bad.error.fields).toEqual([
      { field: "inputs.1.extra", message: "is not an input of this signature; known inputs: ticket" },
      { field: "inputs.1.ticket", message: "must be a string; received 7" },
    ]);
    expect([body.succeeded, body.failed]).toEqual([2, 1]);
    const ok = body.results.filter((r) => r.ok);
    expect(body.usage.inputTokens).toBe(ok.reduce((n, r) => n + r.usage.inputTokens, 0));
    expect(body.costUsd).toBeCloseTo(ok.reduce((n, r) => n + r.costUsd, 0), 12);
    expect(new Set(ok.map((r) => r.runId)).size).toBe(2);
    expect(body.version.number).toBe(1);
  });

  it("runs at most batchConcurrency items at once", async () => {
    const inputs = Array.from({ length: 7 }, (_, i) => ({ ticket: `${tickets[i % 4]} (${i})` }));
    const body = bodyOf(await callApi(slowServer.url, "POST", BATCH, { key, body: { inputs } }), PredictBatchResponseSchema);
    expect(body.succeeded).toBe(7);
    expect(slow.tracers.maxInFlight).toBe(3);
  });

  it("pins a version, and refuses empty, oversized and malformed batches with 400 naming the field", async () => {
    const classify = await t.prisma.program.findUniqueOrThrow({ where: { name: "classify" } });
    const pinned = bodyOf(await callApi(server.url, "POST", BATCH, { key, body: { inputs: [{ ticket: tickets[2] }], version: classify.activeVersionId } }), PredictBatchResponseSchema);
    expect(pinned.version).toEqual({ id: classify.activeVersionId, number: 1 });

    const fields = async (body: unknown) => errorOf(await callApi(server.url, "POST", BATCH, { key, body }), 400, "INVALID_REQUEST").fields;
    expect(await fields({ inputs: [] })).toEqual([{ field: "inputs", message: "must hold at least one input" }]);
    expect(await fields({ inputs: Array.from({ length: 101 }, () => ({ ticket: "x" })) })).toEqual([{ field: "inputs", message: "must hold at most 100 inputs; split larger batches" }]);
    expect(await fields({ inputs: [{ ticket: "a" }, "b"] })).toEqual([{ field: "inputs.1", message: 'must be an object; received "b"' }]);
    expect(await fields({ input: { ticket: "a" } })).toEqual([
      { field: "inputs", message: "is missing; it must be an array" },
      { field: "input", message: "is not a field of this body; fields: inputs, version, tags, userId, sessionId" },
    ]);
    const big = { inputs: Array.from({ length: 100 }, () => ({ ticket: "z".repeat(1000) })) };
    expect(errorOf(await callApi(server.url, "POST", BATCH, { key, body: big }), 413, "PAYLOAD_TOO_LARGE").message).toMatch(/limit of 65536 bytes/);
  });

  it("reports items that time out or hit a spent budget as item errors with their failed runs", async () => {
    const timedOut = bodyOf(await callApi(server.url, "POST", "/api/v1/programs/slow/predict/batch", { key, body: { inputs: [{ question: "a" }, { question: "b" }] } }), PredictBatchResponseSchema);
    expect(timedOut.results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["TIMEOUT", "TIMEOUT"]);
    for (const r of timedOut.results) expect(await t.prisma.run.findUniqueOrThrow({ where: { id: r.runId! } })).toMatchObject({ status: "error" });

    const budgeted = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "budgeted" });
    s.budgets.setLimit("apiKey", budgeted.apiKey.id, 0.00001);
    s.budgets.spend("apiKey", budgeted.apiKey.id, 0.00001);
    const spent = bodyOf(await callApi(server.url, "POST", BATCH, { key: budgeted.key, body: { inputs: [{ ticket: "a" }, { ticket: "b" }] } }), PredictBatchResponseSchema);
    expect(spent.results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["BUDGET_EXCEEDED", "BUDGET_EXCEEDED"]);
    expect(spent.failed).toBe(2);
  });

  it("counts each input against the key's rate limit", async () => {
    const limited = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "limited", rateLimitPerMinute: 3 });
    const refused = await callApi(server.url, "POST", BATCH, { key: limited.key, body: { inputs: tickets.map((ticket) => ({ ticket })) } });
    expect(errorOf(refused, 429, "RATE_LIMITED").message).toBe('this batch counts 4 requests but API key "limited" allows 3 per minute; send batches of at most 3 inputs');
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(s.limiter.checks.at(-1)).toMatchObject({ limitPerMinute: 3, cost: 4 });
    expect((await callApi(server.url, "POST", BATCH, { key: limited.key, body: { inputs: tickets.slice(0, 3).map((ticket) => ({ ticket })) } })).status).toBe(200);
  });

  it("every item that ran ended exactly once", () => {
    expect(s.tracers.runs.filter((r) => r.finishCalls !== 1)).toEqual([]);
    expect(slow.tracers.runs.filter((r) => r.finishCalls !== 1)).toEqual([]);
  });
});
