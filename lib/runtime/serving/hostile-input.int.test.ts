// Hostile requests end in a 4xx that names the field, never a 5xx: NUL characters and lone
// surrogates anywhere (body, names, query, path), JSON nested thousands deep, bodies that are not
// JSON, unknown methods, program inputs over their size limits. A 100 KB run of one character (a
// worst case for the tokenizer) is answered while the health probe keeps answering, and a server
// whose event loop runs late sheds new work with 503 and Retry-After.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { PredictResponseSchema } from "../../schemas";
import { FakeClock } from "../clock";
import { createEventLoopGuard } from "../resources";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const QA = { context: "DSPEx is a TypeScript platform.", question: "What is DSPEx?" };
const PREDICT = "/api/v1/programs/qa/predict";
const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

function rawRequest(url: string, method: string): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each(BACKENDS)("hostile input on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const clock = new FakeClock({ start: Date.now() });
  const guard = createEventLoopGuard({ maxLagMs: 100, sample: false, clock });
  let server: TestServer;
  let key: string;
  let errors: unknown[];
  const post = (path: string, body: unknown, headers?: Record<string, string>) => callApi(server.url, "POST", path, { key, body, ...(headers && { headers }) });
  const postRaw = (path: string, raw: string, headers?: Record<string, string>) => callApi(server.url, "POST", path, { key, raw, ...(headers && { headers }) });

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma, overload: guard, options: { maxInputFieldChars: 150_000, maxInputChars: 200_000 }, demoLM: { latencyMs: 50 } });
    errors = s.errors;
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "hostile" })).key;
  });
  afterAll(() => server?.close());

  it("refuses NUL and lone surrogates in bodies, names, queries and paths with 400 naming the field", async () => {
    expect(errorOf(await post(PREDICT, { input: { ...QA, question: "a\u0000b" } }), 400, "INVALID_REQUEST").fields).toEqual([{ field: "input.question", message: expect.stringContaining("NUL") }]);
    expect(errorOf(await postRaw(PREDICT, `{"input": {"context": "x", "question": "\\ud800 alone"}}`), 400, "INVALID_REQUEST").fields?.[0]).toMatchObject({ field: "input.question", message: expect.stringContaining("lone surrogate") });
    expect(errorOf(await post(PREDICT, { input: { ...QA, ["bad\u0000name"]: 1 } }), 400, "INVALID_REQUEST").fields?.[0]?.field).toBe("input.bad\u0000name (the name)");
    expect(errorOf(await callApi(server.url, "POST", "/api/v1/auth/login", { body: { email: "a\u0000@example.com", password: "x".repeat(12) } }), 400, "INVALID_REQUEST").fields?.[0]?.field).toBe("email");
    expect(errorOf(await callApi(server.url, "GET", "/api/v1/runs?programName=qa%00", { key }), 400, "INVALID_REQUEST").fields?.[0]?.field).toBe("programName");
    expect(errorOf(await callApi(server.url, "POST", "/api/v1/programs/q%00a/predict", { key, body: { input: QA } }), 400, "INVALID_REQUEST").fields?.[0]?.field).toBe("name");
    const rows = '{"inputs": {"question": "2+2?\\u0000"}, "outputs": {"answer": "4"}}\n';
    const imported = errorOf(await post("/api/v1/datasets/import", { name: "nul-rows", format: "jsonl", content: rows }), 400, "INVALID_REQUEST");
    expect(imported.fields?.[0]).toMatchObject({ field: "rows.1.inputs.question", message: expect.stringContaining("NUL") });
    expect(errors).toEqual([]);
  });

  it("refuses JSON nested 5,000 deep before parsing it, on predictions and on sign-in", async () => {
    for (const path of [PREDICT, "/api/v1/auth/login", "/api/v1/datasets/import"]) {
      const error = errorOf(await postRaw(path, `{"input": ${deep(5_000)}}`), 400, "INVALID_JSON");
      expect(error).toMatchObject({ fields: [{ field: "body", message: expect.stringContaining("64 levels") }] });
    }
    expect(errors).toEqual([]);
  });

  it("takes bodies as JSON only: a form or text/plain is 415, and sign-in needs the JSON content type", async () => {
    const login = JSON.stringify({ email: "a@example.com", password: "a long passphrase" });
    expect(errorOf(await postRaw("/api/v1/auth/login", login, { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE").fields?.[0]?.field).toBe("content-type");
    expect(errorOf(await postRaw(PREDICT, JSON.stringify({ input: QA }), { "content-type": "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE").code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const bare = await fetch(`${server.url}/api/v1/auth/login`, { method: "POST", body: new Uint8Array(Buffer.from(login)) });
    expect(bare.status).toBe(415);
  });

  it("answers unknown methods with 405 and Allow", async () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PROPFIND"]) {
      expect(await rawRequest(`${server.url}/api/v1/health`, method)).toEqual({ status: 405, allow: "GET" });
    }
  });

  it("holds program inputs to the configured sizes with 413 naming the field", async () => {
    expect(errorOf(await post(PREDICT, { input: { ...QA, context: "x".repeat(150_001) } }), 413, "PAYLOAD_TOO_LARGE").fields).toEqual([{ field: "input.context", message: expect.stringContaining("limit is 150000") }]);
    expect(errorOf(await post(PREDICT, { input: { context: "x".repeat(120_000), question: "y".repeat(120_000) } }), 413, "PAYLOAD_TOO_LARGE").fields?.[0]?.field).toBe("input");
  });

  it("answers a 100 KB run of one character while the health probe keeps answering", async () => {
    const prediction = post(PREDICT, { input: { ...QA, context: "x".repeat(100_000) } });
    const probes = [];
    for (let i = 0; i < 5; i++) probes.push((await callApi(server.url, "GET", "/api/v1/health")).status);
    expect(probes).toEqual([200, 200, 200, 200, 200]);
    const body = bodyOf(await prediction, PredictResponseSchema);
    expect(body.usage.inputTokens).toBeGreaterThan(12_500);
  });

  it("sheds new work with 503 OVERLOADED and Retry-After while the event loop runs late; probes still answer", async () => {
    guard.record(2_500);
    const refused = await post(PREDICT, { input: QA });
    expect(errorOf(refused, 503, "OVERLOADED").message).toContain("too busy");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await callApi(server.url, "GET", "/api/v1/health")).status).toBe(200);
    await clock.advance(3_000);
    expect((await post(PREDICT, { input: QA })).status).toBe(200);
  });
});
