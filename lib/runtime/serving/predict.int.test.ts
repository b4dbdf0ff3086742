import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { PredictResponseSchema } from "../../schemas";
import { createApiKey, createProgramVersion, promoteVersion, revokeApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, FALLBACK_BODY, startTestServer, type TestServer, type TestServing } from "./testing";

const QA = { context: "DSPEx is a TypeScript platform for language-model programs. Its runtime is supervised.", question: "What is DSPEx?" };
const PREDICT = "/api/v1/programs/qa/predict";
const TIMEOUT_MS = 300;

describe.each(BACKENDS)("POST /api/v1/programs/:name/predict on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const clock = { t: Date.now() };
  let s: TestServing;
  let server: TestServer;
  let key: string;
  let keyId: string;
  const post = (body: unknown, options: { key?: string; path?: string } = {}) => callApi(server.url, "POST", options.path ?? PREDICT, { key: options.key ?? key, body });
  const runCount = () => s.tracers.runs.length;

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma, now: () => clock.t, options: { runTimeoutMs: TIMEOUT_MS, maxBodyBytes: 4096 } });
    server = await startTestServer(s.api);
    const created = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "tests" });
    key = created.key;
    keyId = created.apiKey.id;
  });
  afterAll(() => server?.close());

  it("runs the active version on a good input and answers output, run, trace, version, usage, cost and latency; the run is recorded ok", async () => {
    const reply = await post({ input: QA });
    const body = bodyOf(reply, PredictResponseSchema);
    const active = await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" }, include: { activeVersion: true } });
    expect(body.version).toEqual({ id: active.activeVersionId, number: 1 });
    // The active version's Module on the same model, called directly, gives the same output.
    expect(body.output).toEqual(await (await s.resolver.resolveProgram("qa")).module.run(QA, s.lm));
    expect(body.usage.inputTokens).toBeGreaterThan(0);
    expect(body.costUsd).toBeGreaterThan(0);
    const run = s.tracers.runs.at(-1)!;
    expect(run).toMatchObject({ runId: body.runId, traceId: body.traceId, status: "ok", finishCalls: 1, init: { programName: "qa", apiKeyId: keyId, source: "api", input: QA } });
    expect(run.lmCalls.length).toBeGreaterThan(0);
    const row = await t.prisma.run.findUniqueOrThrow({ where: { id: body.runId } });
    expect(row).toMatchObject({ status: "ok", apiKeyId: keyId, programVersionId: active.activeVersionId, source: "api" });
  });

  it("refuses missing, malformed, unknown and revoked keys with 401 saying which, never echoing the key, and runs nothing", async () => {
    const before = runCount();
    const unknown = `dspx_live_AAAAAAAA_${"B".repeat(32)}`;
    const revoked = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "old" });
    await revokeApiKey(t.prisma, revoked.apiKey.id);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /missing API key/],
      [{ authorization: "Basic dXNlcjpwYXNz" }, /must use the Bearer scheme/],
      [{ authorization: key }, /bare key; put "Bearer " before it/],
      [{ authorization: "Bearer " }, /missing API key/],
      [{ authorization: "Bearer not-a-key" }, /malformed/],
      [{ authorization: `Bearer ${unknown}` }, /not recognised/],
      [{ authorization: `Bearer ${revoked.key}` }, /revoked/],
    ];
    for (const [headers, message] of cases) {
      const reply = await callApi(server.url, "POST", PREDICT, { headers, body: { input: QA } });
      expect(errorOf(reply, 401, "UNAUTHORIZED").message).toMatch(message);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer realm="dspex"/);
      for (const secret of [key, unknown, revoked.key]) expect(reply.text).not.toContain(secret.slice(19));
    }
    expect(runCount()).toBe(before);
  });

  it("trusts a verified key for authCacheTtlMs: a revoke takes effect when it expires, or at once through forgetApiKey", async () => {
    const a = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "cached" });
    expect((await post({ input: QA }, { key: a.key })).status).toBe(200);
    await revokeApiKey(t.prisma, a.apiKey.id);
    expect((await post({ input: QA }, { key: a.key })).status).toBe(200);
    clock.t += 5_001;
    expect(errorOf(await post({ input: QA }, { key: a.key }), 401, "UNAUTHORIZED").message).toMatch(/revoked/);

    const b = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "forgotten" });
    expect((await post({ input: QA }, { key: b.key })).status).toBe(200);
    await revokeApiKey(t.prisma, b.apiKey.id);
    s.api.forgetApiKey(b.apiKey.id);
    expect(errorOf(await post({ input: QA }, { key: b.key }), 401, "UNAUTHORIZED").message).toMatch(/revoked/);
  });

  it("400 for a body that is not JSON (naming the position), empty, or does not fit the request schema; nothing runs", async () => {
    const before = runCount();
    const broken = '{"input": {"question": "a",}}';
    const notJson = errorOf(await callApi(server.url, "POST", PREDICT, { key, raw: broken }), 400, "INVALID_JSON");
    expect(notJson.message).toContain(`unexpected "}" where a property name in double quotes was expected at position ${broken.indexOf("}")} (line 1, column ${broken.indexOf("}") + 1})`);
    expect(errorOf(await callApi(server.url, "POST", PREDICT, { key, raw: "" }), 400, "INVALID_JSON").message).toMatch(/body is empty/);
    expect(errorOf(await callApi(server.url, "POST", PREDICT, { key, raw: '{"input": {}}\n\n  x' }), 400, "INVALID_JSON").message).toContain("line 3, column 3");

    const fieldsOf = async (body: unknown) => errorOf(await post(body), 400, "INVALID_REQUEST").fields;
    expect(await fieldsOf([1, 2])).toEqual([{ field: "body", message: "must be an object; received [1,2]" }]);
    expect(await fieldsOf({})).toEqual([{ field: "input", message: "is missing; it must be an object" }]);
    expect(await fieldsOf({ input: "what is DSPEx?" })).toEqual([{ field: "input", message: 'must be an object; received "what is DSPEx?"' }]);
    expect(await fieldsOf({ input: QA, inputs: [QA] })).toEqual([{ field: "inputs", message: "is not a field of this body; fields: input, version, tags, userId, sessionId" }]);
    expect((await fieldsOf({ input: QA, version: 0 }))?.map((f) => f.field)).toEqual(["version"]);
    expect(runCount()).toBe(before);
  });

  it("422 names each input field that does not fit the signature (wrong type, missing, unknown); nothing runs", async () => {
    const before = runCount();
    const error = errorOf(await post({ input: { context: 42, bogus: true } }), 422, "INPUT_INVALID");
    expect(error.fields).toEqual([
      { field: "input.bogus", message: "is not an input of this signature; known inputs: context, question" },
      { field: "input.context", message: "must be a string; received 42" },
      { field: "input.question", message: 'is missing; pass it, e.g. { question: "..." }' },
    ]);
    expect(error.message).toContain("input.context must be a string");
    expect(runCount()).toBe(before);
  });

  it("413 for a body over the limit, whether its length is declared or it is streamed in chunks", async () => {
    const huge = { input: { ...QA, context: "x".repeat(5000) } };
    expect(errorOf(await post(huge), 413, "PAYLOAD_TOO_LARGE").message).toMatch(/larger than the limit of 4096 bytes \(it declares \d+ bytes\)/);

    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}${PREDICT}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      req.write('{"input": {"context": "');
      for (let i = 0; i < 10; i++) req.write("y".repeat(1000));
      req.end('"}}');
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/larger than the limit of 4096 bytes;/) } });
  });

  it("404 names an unknown program, version id or version number (or a version of another program)", async () => {
    expect(errorOf(await post({ input: QA }, { path: "/api/v1/programs/nope/predict" }), 404, "NOT_FOUND").message).toMatch(/program "nope" not found; programs served here: qa, classify, arithmetic/);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(errorOf(await post({ input: QA, version: missing }), 404, "NOT_FOUND")).toMatchObject({ message: `program "qa" has no version "${missing}"`, fields: [{ field: "version" }] });
    expect(errorOf(await post({ input: QA, version: 99 }), 404, "NOT_FOUND").message).toBe('program "qa" has no version 99');
    const classify = await t.prisma.program.findUniqueOrThrow({ where: { name: "classify" } });
    expect(errorOf(await post({ input: QA, version: classify.activeVersionId }), 404, "NOT_FOUND").message).toContain(classify.activeVersionId!);
  });

  it("405 with Allow for a known path and another method; paths that are not the API's fall through", async () => {
    const wrong = await callApi(server.url, "GET", PREDICT, { key });
    expect(errorOf(wrong, 405, "METHOD_NOT_ALLOWED").message).toBe("GET is not allowed here; use POST");
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await callApi(server.url, "DELETE", "/api/v1/runs", { key })).headers.get("allow")).toBe("GET");
    for (const path of ["/api/v1/system", "/api/v1/programs/qa/unknown", "/api/v1/programs//predict", "/api/v2/health", "/runs"]) {
      const reply = await callApi(server.url, "GET", path);
      expect([reply.status, reply.text]).toEqual([404, FALLBACK_BODY]);
    }
  });

  it("429 with Retry-After once a key's own rate limit is reached; the window frees again", async () => {
    const limited = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "limited", rateLimitPerMinute: 2 });
    expect((await post({ input: QA }, { key: limited.key })).status).toBe(200);
    clock.t += 10_000;
    expect((await post({ input: QA }, { key: limited.key })).status).toBe(200);
    const refused = await post({ input: QA }, { key: limited.key });
    expect(errorOf(refused, 429, "RATE_LIMITED").message).toBe('rate limit of API key "limited" reached (2 requests per minute); retry in 50 s');
    expect(refused.headers.get("retry-after")).toBe("50");
    expect(s.limiter.checks.at(-1)).toEqual({ keyId: limited.apiKey.id, limitPerMinute: 2, cost: 1 });
    expect((await post({ input: QA })).status).toBe(200);
    clock.t += 50_001;
    expect((await post({ input: QA }, { key: limited.key })).status).toBe(200);
  });

  it("402 naming the scope once a budget is spent; the refused run is recorded as failed", async () => {
    const spender = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "spender" });
    s.budgets.setLimit("apiKey", spender.apiKey.id, 0.00001);
    expect((await post({ input: QA }, { key: spender.key })).status).toBe(200);
    const refused = await post({ input: QA }, { key: spender.key });
    const error = errorOf(refused, 402, "BUDGET_EXCEEDED");
    expect(error.message).toContain(`apiKey "${spender.apiKey.id}" budget`);
    expect(error.fields).toEqual([{ field: "budget.apiKey", message: expect.stringContaining("limit $0.00001") }]);
    const runId = refused.headers.get("x-run-id")!;
    expect(s.tracers.runs.find((r) => r.runId === runId)).toMatchObject({ status: "error", error: error.message, finishCalls: 1 });
    expect(await t.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "error", error: error.message });
  });

  it("504 when a run passes its time limit, answered at the deadline even if the program ignores the abort; the run is recorded failed", async () => {
    const started = performance.now();
    const reply = await post({ input: { question: "will you answer?" } }, { path: "/api/v1/programs/slow/predict" });
    const elapsed = performance.now() - started;
    const error = errorOf(reply, 504, "TIMEOUT");
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
    const runId = reply.headers.get("x-run-id")!;
    expect(error.message).toBe(`program "slow" ran past its time limit of ${TIMEOUT_MS} ms; the run was stopped and recorded as failed (run ${runId})`);
    expect(await t.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "error", error: error.message });
  });

  it("500 RUN_FAILED (typed) when the program throws, 503 RUN_NOT_RECORDED when its run cannot be recorded", async () => {
    const failed = await post({ input: { question: "?" } }, { path: "/api/v1/programs/broken/predict" });
    expect(errorOf(failed, 500, "RUN_FAILED").message).toBe("the program failed: step 2 exploded");
    expect(s.tracers.runs.find((r) => r.runId === failed.headers.get("x-run-id"))).toMatchObject({ status: "error", error: "the program failed: step 2 exploded" });

    s.tracers.failNextFinish("event stream closed");
    const unrecorded = await post({ input: QA });
    expect(errorOf(unrecorded, 503, "RUN_NOT_RECORDED").message).toMatch(/^run [0-9a-f-]{36} finished but could not be recorded \(event stream closed\); retry later$/);
    s.tracers.failNextStart("event stream stopped");
    const unstarted = await post({ input: QA });
    expect(errorOf(unstarted, 503, "RUN_NOT_RECORDED").message).toBe("the run could not be started because its recording failed (event stream stopped); nothing ran; retry later");
  });

  it("a client that hangs up aborts its run, which is recorded as failed", async () => {
    const before = runCount();
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/api/v1/programs/slow/predict`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } });
      req.on("error", () => resolve());
      req.end(JSON.stringify({ input: { question: "still there?" } }));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await expect.poll(() => s.tracers.runs.slice(before).map((r) => r.status)).toEqual(["error"]);
    expect(s.tracers.runs.at(-1)!.error).toBe("the run was aborted: the client closed the connection before the prediction finished");
  });

  it("pins a version by id or number; the default follows a promote once the program cache expires (or at once through invalidateProgram)", async () => {
    const qa = s.registry.require("qa");
    const v1 = (await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } })).activeVersionId!;
    const v2 = await createProgramVersion(t.prisma, qa.space, { programName: "qa", config: { module: "chain-of-thought" }, message: "think first" });
    for (const version of [v2.id, 2, "2"]) {
      const body = bodyOf(await post({ input: QA, version }), PredictResponseSchema);
      expect(body.version).toEqual({ id: v2.id, number: 2 });
      expect(s.tracers.runs.at(-1)!.spans[0]).toMatchObject({ kind: "program", attributes: { module: "ChainOfThought" } });
    }
    expect(bodyOf(await post({ input: QA }), PredictResponseSchema).version.number).toBe(1);
    expect(s.tracers.runs.at(-1)!.spans[0]).toMatchObject({ attributes: { module: "Predict" } });

    await promoteVersion(t.prisma, v2.id);
    expect(bodyOf(await post({ input: QA }), PredictResponseSchema).version.number).toBe(1);
    clock.t += 1_001;
    expect(bodyOf(await post({ input: QA }), PredictResponseSchema).version.number).toBe(2);
    await promoteVersion(t.prisma, v1);
    s.api.invalidateProgram("qa");
    expect(bodyOf(await post({ input: QA }), PredictResponseSchema).version.number).toBe(1);
  });

  it("every run that started ended exactly once, none is left running", async () => {
    expect(s.tracers.runs.length).toBeGreaterThan(10);
    expect(s.tracers.runs.filter((r) => r.finishCalls !== 1 || r.status === "running")).toEqual([]);
    expect(s.tracers.inFlight()).toBe(0);
    expect(s.errors).toEqual([]);
  });
});
