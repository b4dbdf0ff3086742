import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { composeLM } from "../../dspex";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { backoffDelay, createRetryPolicy, isRetryable, withRetry, withTimeout, type RetryInfo } from ".";
import { ask, clientFor } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const gaps = () => server.requests.slice(1).map((r, i) => r.receivedAt - server.requests[i]!.receivedAt);

describe("withRetry", () => {
  test("429 with Retry-After (seconds): the server sees the retry after the wait, and the response counts it", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "rate-limit", retryAfterSeconds: 1 } : { text: "fine" }));
    const lm = withRetry({ initialDelayMs: 10, maxDelayMs: 5_000 })(clientFor(server));
    const response = await lm.complete(ask("hi"));
    expect(response.text).toBe("fine");
    expect(response.retries).toBe(1);
    expect(server.requestCount).toBe(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  test("retry-after-ms is honoured over a shorter backoff", async () => {
    server.respondWith((r) => (r.index < 2 ? { type: "rate-limit", retryAfterMs: 300 } : { text: "fine" }));
    const retries: RetryInfo[] = [];
    const lm = withRetry({ initialDelayMs: 10, random: () => 0, onRetry: (i) => retries.push(i) })(clientFor(server));
    expect((await lm.complete(ask("hi"))).retries).toBe(2);
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(290);
    expect(retries.map((r) => [r.retry, r.delayMs])).toEqual([
      [1, 300],
      [2, 300],
    ]);
    expect(retries[0]!.error).toMatchObject({ code: "LM_RATE_LIMITED" });
  });

  test("5xx backs off exponentially with jitter in [base/2, base]", async () => {
    server.respondWith((r) => (r.index < 3 ? { type: "error", status: 503, message: "busy" } : { text: "up" }));
    const lm = withRetry({ maxAttempts: 4, initialDelayMs: 100, random: () => 0.999 })(clientFor(server));
    const response = await lm.complete(ask("hi"));
    expect(response.retries).toBe(3);
    const [a, b, c] = gaps();
    expect(a).toBeGreaterThanOrEqual(95);
    expect(b).toBeGreaterThanOrEqual(195);
    expect(c).toBeGreaterThanOrEqual(395);
    expect(c).toBeLessThan(800);
  });

  test("gives up after maxAttempts with the last error", async () => {
    server.respondWith(() => ({ type: "error", status: 500, message: "boom" }));
    const lm = withRetry({ maxAttempts: 3, initialDelayMs: 5 })(clientFor(server));
    await expect(lm.complete(ask("hi"))).rejects.toMatchObject({ code: "LM_ERROR", details: { status: 500 } });
    expect(server.requestCount).toBe(3);
  });

  test("does not retry failures the caller must fix (400, 401, 404)", async () => {
    for (const status of [400, 401, 404]) {
      server.reset();
      server.respondWith(() => ({ type: "error", status, message: "no" }));
      await expect(withRetry({ initialDelayMs: 5 })(clientFor(server)).complete(ask("hi"))).rejects.toMatchObject({ details: { status } });
      expect(server.requestCount).toBe(1);
    }
  });

  test("a Retry-After longer than maxDelayMs is not waited for: the 429 comes back at once", async () => {
    server.respondWith(() => ({ type: "rate-limit", retryAfterSeconds: 60 }));
    const started = performance.now();
    const lm = withRetry({ maxDelayMs: 1_000 })(clientFor(server));
    await expect(lm.complete(ask("hi"))).rejects.toMatchObject({ code: "LM_RATE_LIMITED", details: { retryAfterMs: 60_000 } });
    expect(performance.now() - started).toBeLessThan(500);
    expect(server.requestCount).toBe(1);
  });

  test("timeouts and dropped connections are retried", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "hang" } : r.index === 1 ? { type: "reset" } : { text: "third time" }));
    const lm = composeLM(clientFor(server), withTimeout({ timeoutMs: 200 }), withRetry({ initialDelayMs: 5 }));
    const response = await lm.complete(ask("hi"));
    expect(response.text).toBe("third time");
    expect(response.retries).toBe(2);
    expect(server.requestCount).toBe(3);
  });

  test("the caller's abort stops the wait between attempts at once", async () => {
    server.respondWith(() => ({ type: "rate-limit", retryAfterSeconds: 5 }));
    const controller = new AbortController();
    const lm = withRetry({ maxDelayMs: 10_000 })(clientFor(server));
    const pending = lm.complete(ask("hi"), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
    expect(performance.now() - started).toBeLessThan(100);
    expect(server.requestCount).toBe(1);
  });

  test("a stream that fails before its first event is retried; its final response counts the retry", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "error", status: 502 } : { text: "streamed reply" }));
    const lm = withRetry({ initialDelayMs: 5 })(clientFor(server));
    let text = "";
    let retries: number | undefined;
    for await (const event of lm.stream!(ask("hi"))) {
      if (event.type === "text") text += event.delta;
      else retries = event.response.retries;
    }
    expect(text).toBe("streamed reply");
    expect(retries).toBe(1);
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    expect(() => withRetry({ maxAttempts: 0 })).toThrow('withRetry: option "maxAttempts" must be a whole number of attempts >= 1 (1 = no retries) (got 0)');
    expect(() => withRetry({ initialDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow('option "initialDelayMs" initialDelayMs must not be larger than maxDelayMs (got 5000)');
    expect(() => withRetry({ multiplier: 0.5 })).toThrow('option "multiplier" must be a number >= 1 (got 0.5)');
    expect(() => withRetry({ retries: 3 } as never)).toThrow(/option "retries" is not an option; options: maxAttempts, initialDelayMs/);
  });
});

describe("retry building blocks", () => {
  test("backoffDelay: equal jitter, capped, never below Retry-After", () => {
    const o = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2 };
    expect(backoffDelay({ ...o, random: () => 0 }, 1, undefined)).toBe(50);
    expect(backoffDelay({ ...o, random: () => 0.999999 }, 1, undefined)).toBe(100);
    expect(backoffDelay({ ...o, random: () => 0 }, 3, undefined)).toBe(200);
    expect(backoffDelay({ ...o, random: () => 0.999999 }, 10, undefined)).toBe(1_000);
    expect(backoffDelay({ ...o, random: () => 0 }, 1, 700)).toBe(700);
  });

  test("createRetryPolicy runs any async function and counts retries", async () => {
    let calls = 0;
    const policy = createRetryPolicy({ initialDelayMs: 1, retryable: () => true });
    const { value, retries } = await policy.execute(async (attempt) => {
      calls++;
      if (attempt < 2) throw new Error("flaky");
      return "done";
    });
    expect([value, retries, calls]).toEqual(["done", 2, 3]);
  });

  test("isRetryable: transient network errors yes, programming errors no", () => {
    expect(isRetryable(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(new Error("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }))).toBe(true);
    expect(isRetryable(new TypeError("undefined is not a function"))).toBe(false);
    expect(isRetryable({ status: 503 })).toBe(true);
    expect(isRetryable({ status: 422 })).toBe(false);
  });
});
