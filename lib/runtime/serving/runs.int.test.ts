import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { PredictResponseSchema, RunPageSchema, TraceSchema } from "../../schemas";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };

describe.each(BACKENDS)("GET /api/v1/runs and /api/v1/runs/:id on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  const keys: Record<string, { key: string; id: string }> = {};
  const runIds: Record<string, string> = {};
  let between: string;
  const get = (path: string, key = keys.a!.key) => callApi(server.url, "GET", path, { key });

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    for (const name of ["a", "b"]) {
      const created = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name });
      keys[name] = { key: created.key, id: created.apiKey.id };
    }
    const predict = async (program: string, input: unknown, key: string) => callApi(server.url, "POST", `/api/v1/programs/${program}/predict`, { key, body: { input } });
    runIds.qa1 = bodyOf(await predict("qa", QA, keys.a!.key), PredictResponseSchema).runId;
    runIds.qa2 = bodyOf(await predict("qa", { ...QA, question: "What is the runtime?" }, keys.a!.key), PredictResponseSchema).runId;
    await sleep(5);
    between = new Date().toISOString();
    await sleep(5);
    runIds.classify = bodyOf(await predict("classify", { ticket: "refund please" }, keys.b!.key), PredictResponseSchema).runId;
    runIds.broken = (await predict("broken", { question: "?" }, keys.b!.key)).headers.get("x-run-id")!;
  });
  afterAll(() => server?.close());

  it("pages every run, newest first, in the one pagination shape", async () => {
    const all = bodyOf(await get("/api/v1/runs"), RunPageSchema);
    expect(all.items.map((r) => r.id)).toEqual([runIds.broken, runIds.classify, runIds.qa2, runIds.qa1]);
    expect(all).toMatchObject({ total: 4, page: 1, limit: 50 });
    const second = bodyOf(await get("/api/v1/runs?limit=1&page=2"), RunPageSchema);
    expect(second).toMatchObject({ items: [{ id: runIds.classify }], total: 4, page: 2, limit: 1 });
    expect(all.items[3]).toMatchObject({ program: { name: "qa" }, version: { number: 1 }, apiKey: { id: keys.a!.id, name: "a" }, source: "api", status: "ok" });
    expect(all.items[0]).toMatchObject({ status: "error", error: "the program failed: step 2 exploded" });
  });

  it("filters by program, version, status, source, API key and start time", async () => {
    const ids = async (query: string) => bodyOf(await get(`/api/v1/runs?${query}`), RunPageSchema).items.map((r) => r.id);
    const qa = await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } });
    expect(await ids("programName=qa")).toEqual([runIds.qa2, runIds.qa1]);
    expect(await ids(`versionId=${qa.activeVersionId}`)).toEqual([runIds.qa2, runIds.qa1]);
    expect(await ids("status=error")).toEqual([runIds.broken]);
    expect(await ids("source=api&status=ok")).toEqual([runIds.classify, runIds.qa2, runIds.qa1]);
    expect(await ids("source=playground")).toEqual([]);
    expect(await ids(`apiKeyId=${keys.b!.id}`)).toEqual([runIds.broken, runIds.classify]);
    expect(await ids(`from=${encodeURIComponent(between)}`)).toEqual([runIds.broken, runIds.classify]);
    expect(await ids(`to=${encodeURIComponent(between)}`)).toEqual([runIds.qa2, runIds.qa1]);
    expect(await ids("programName=unknown")).toEqual([]);
  });

  it("400 names each bad or unknown query parameter", async () => {
    const fields = async (query: string) => errorOf(await get(`/api/v1/runs?${query}`), 400, "INVALID_REQUEST").fields?.map((f) => f.field);
    expect(await fields("status=lost&limit=0")).toEqual(["limit", "status"]);
    expect(await fields("limit=101")).toEqual(["limit"]);
    expect(await fields("from=2026-05-01&to=2026-04-01")).toEqual(["from"]);
    expect(await fields("from=yesterday")).toEqual(["from"]);
    expect(errorOf(await get("/api/v1/runs?program=qa"), 400, "INVALID_REQUEST").message).toMatch(/program is not a parameter of this route; parameters: page, limit, programName/);
  });

  it("answers a run's trace by run id or trace id: the run, its span tree and its LM calls with the exact messages", async () => {
    const trace = bodyOf(await get(`/api/v1/runs/${runIds.qa1}`), TraceSchema);
    expect(trace.run).toMatchObject({ id: runIds.qa1, status: "ok", input: QA, output: { answer: expect.any(String) } });
    expect(trace.spans).toHaveLength(1);
    expect(trace.spans[0]).toMatchObject({ kind: "program", status: "ok", attributes: { module: "Predict" } });
    expect(trace.lmCalls.length).toBeGreaterThan(0);
    const messages = (trace.lmCalls[0]!.request as { messages: { content: string }[] }).messages;
    expect(messages.map((m) => m.content).join("\n")).toContain(QA.question);
    expect(trace.spans[0]!.lmCalls.map((c) => c.id)).toEqual(trace.lmCalls.map((c) => c.id));
    expect(bodyOf(await get(`/api/v1/runs/${trace.run.traceId}`), TraceSchema).run.id).toBe(runIds.qa1);
  });

  it("404 names an unknown run; both routes need a key", async () => {
    expect(errorOf(await get("/api/v1/runs/no-such-run"), 404, "NOT_FOUND").message).toBe('run "no-such-run" not found');
    errorOf(await callApi(server.url, "GET", "/api/v1/runs"), 401, "UNAUTHORIZED");
    errorOf(await callApi(server.url, "GET", `/api/v1/runs/${runIds.qa1}`), 401, "UNAUTHORIZED");
  });
});
