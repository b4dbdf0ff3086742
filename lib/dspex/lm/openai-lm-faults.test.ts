import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer } from "../testing";
import { createOpenAILM } from ".";
import type { LMRequest } from ".";
import { DspexError, LMError } from "../errors";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const ask: LMRequest = { messages: [{ role: "user", content: "hi" }] };
const lmWith = (maxRetries: number, timeoutMs?: number) =>
  createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini", maxRetries, ...(timeoutMs !== undefined && { timeoutMs }) });

async function failure(promise: Promise<unknown>): Promise<LMError> {
  try {
    await promise;
  } catch (error) {
    return error as LMError;
  }
  throw new Error("expected the call to fail");
}

describe("createOpenAILM: faults", () => {
  test("429 with Retry-After (seconds): the retry comes after the wait and the response counts it", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "rate-limit", retryAfterSeconds: 1 } : { text: "fine" }));
    const r = await lmWith(2).complete(ask);
    expect(r.text).toBe("fine");
    expect(r.retries).toBe(1);
    expect(server.requestCount).toBe(2);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(second!.headers["x-stainless-retry-count"]).toBe("1");
  });

  test("429 past the retries is LM_RATE_LIMITED with the status and the wait asked for", async () => {
    server.respondWith(() => ({ type: "rate-limit", retryAfterMs: 40 }));
    const error = await failure(lmWith(1).complete(ask));
    expect(error).toBeInstanceOf(LMError);
    expect(error.code).toBe("LM_RATE_LIMITED");
    expect(error.details).toMatchObject({ provider: "openai", model: "gpt-4o-mini", status: 429, retryAfterMs: 40 });
    expect(error.message).toMatch(/openai "gpt-4o-mini": rate limited \(HTTP 429\) after 2 attempts; the provider asks to wait 40 ms/);
    expect(server.requestCount).toBe(2);
  });

  test("500 is retried by the SDK; a later success reports the retries", async () => {
    server.respondWith((r) => (r.index < 2 ? { type: "error", status: 500, message: "boom", headers: { "retry-after-ms": "10" } } : { text: "recovered" }));
    const r = await lmWith(2).complete(ask);
    expect(r.text).toBe("recovered");
    expect(r.retries).toBe(2);
    expect(server.requestCount).toBe(3);
  });

  test("500 past the retries is LM_ERROR with the status and the provider's message", async () => {
    server.respondWith(() => ({ type: "error", status: 503, message: "overloaded", headers: { "retry-after-ms": "5" } }));
    const error = await failure(lmWith(1).complete(ask));
    expect(error.code).toBe("LM_ERROR");
    expect(error.details.status).toBe(503);
    expect(error.message).toContain("server error (HTTP 503) after 2 attempts: overloaded");
  });

  test("400 is not retried and names what the provider said", async () => {
    server.respondWith(() => ({ type: "error", status: 400, message: "Unsupported parameter: 'top_k'" }));
    const error = await failure(lmWith(2).complete(ask));
    expect(error.code).toBe("LM_ERROR");
    expect(error.details.status).toBe(400);
    expect(error.message).toContain("Unsupported parameter: 'top_k'");
    expect(server.requestCount).toBe(1);
  });

  test("a hung server is LM_TIMEOUT after the client timeout", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const started = performance.now();
    const error = await failure(lmWith(0, 150).complete(ask));
    expect(error.code).toBe("LM_TIMEOUT");
    expect(error.message).toMatch(/no reply within 150 ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test("a call's own timeoutMs wins over the client's, and timeouts are retried", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const error = await failure(lmWith(1, 60_000).complete(ask, { timeoutMs: 100 }));
    expect(error.code).toBe("LM_TIMEOUT");
    expect(server.requestCount).toBe(2);
  });

  test("the caller's signal aborts the call as ABORTED", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const controller = new AbortController();
    const pending = lmWith(0).complete(ask, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await failure(pending);
    expect(error).toBeInstanceOf(DspexError);
    expect(error.code).toBe("ABORTED");
  });

  test("a truncated reply has finishReason length", async () => {
    server.respondWith(() => ({ type: "truncated", text: "half a sent" }));
    const r = await lmWith(0).complete(ask);
    expect(r.finishReason).toBe("length");
    expect(r.text).toBe("half a sent");
  });

  test("a body that is not JSON is LM_BAD_RESPONSE", async () => {
    server.respondWith(() => ({ type: "malformed" }));
    const error = await failure(lmWith(2).complete(ask));
    expect(error.code).toBe("LM_BAD_RESPONSE");
    expect(error.message).toMatch(/not valid JSON/);
  });

  test("JSON without choices is LM_BAD_RESPONSE naming what came back", async () => {
    server.respondWith(() => ({ type: "malformed", body: '{"object":"list","data":[]}' }));
    const error = await failure(lmWith(0).complete(ask));
    expect(error.code).toBe("LM_BAD_RESPONSE");
    expect(error.message).toContain("reply has no choices (got an object with keys [object, data])");
  });

  test("a connection reset is retried, then LM_ERROR naming the server", async () => {
    server.respondWith(() => ({ type: "reset" }));
    const error = await failure(lmWith(1).complete(ask));
    expect(error.code).toBe("LM_ERROR");
    expect(error.message).toContain(`could not reach ${server.baseURL}`);
    expect(server.requestCount).toBe(2);
  });
});
