import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { LM, LMRequest } from "../../dspex";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { estimateRequestTokens, RateLimitedError, withRateLimit } from ".";
import { ask, clientFor, maxInAnyWindow } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const WINDOW = 1_000;
// Client and server share two busy cores here: a request can reach the server ~150 ms later than
// the one admitted before it. The margin keeps the limit true where the server measures it.
const MARGIN = 300;
const arrivals = (weight: (body: unknown) => number = () => 1) => server.requests.map((r) => ({ at: r.receivedAt, weight: weight(r.body) }));

async function rateLimited(promise: Promise<unknown>): Promise<RateLimitedError> {
  try {
    await promise;
  } catch (error) {
    return error as RateLimitedError;
  }
  throw new Error("expected RATE_LIMITED");
}

/** An LM that records the order calls reach it (below the limiter), then calls the real client. */
function recording(inner: LM, order: string[]): LM {
  return { provider: inner.provider, defaultModel: inner.defaultModel!, complete: (request: LMRequest, o) => (order.push(request.messages[0]!.content), inner.complete(request, o)) };
}

describe("withRateLimit (waits for capacity)", () => {
  test("requests per window: under 4x overload the server never sees more than the limit in any window, and no call is lost", async () => {
    const limited = withRateLimit({ windowMs: WINDOW, marginMs: MARGIN, limits: [{ provider: "openai", requestsPerMinute: 5 }] });
    const lm = limited(clientFor(server));
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => lm.complete(ask(`call ${i}`))));
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(20);
    expect(server.requestCount).toBe(20);
    expect(maxInAnyWindow(arrivals(), WINDOW)).toBeLessThanOrEqual(5);
    expect(elapsed).toBeGreaterThan(3 * WINDOW);
    expect(limited.waiting()).toBe(0);
  });

  test("tokens per window: reserved from the estimate before the call; the server never sees more tokens than the limit", async () => {
    const request = (i: number) => ask(`tokens ${i}`, { maxTokens: 100 });
    const { inputTokens } = await estimateRequestTokens(request(0));
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 100 } }));
    const perCall = inputTokens + 100;
    const limit = perCall * 3;
    const lm = withRateLimit({ windowMs: WINDOW, marginMs: MARGIN, limits: [{ provider: "openai", tokensPerMinute: limit }] })(clientFor(server));
    await Promise.all(Array.from({ length: 12 }, (_, i) => lm.complete(request(i))));
    expect(server.requestCount).toBe(12);
    expect(maxInAnyWindow(arrivals(() => perCall), WINDOW)).toBeLessThanOrEqual(limit);
    expect(maxInAnyWindow(arrivals(() => perCall), WINDOW)).toBe(limit);
  });

  test("token reservations are reconciled with the real usage: unused tokens come back at once", async () => {
    const request = (i: number) => ask(`small ${i}`, { maxTokens: 500 });
    const { totalTokens } = await estimateRequestTokens(request(0));
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: 10, completionTokens: 10 } }));
    // Room for 2 estimates; each call really uses 20 tokens.
    const limit = totalTokens * 2 + 10;
    const limited = withRateLimit({ windowMs: 10 * WINDOW, limits: [{ provider: "openai", tokensPerMinute: limit }] });
    const lm = limited(clientFor(server));
    const started = performance.now();
    await Promise.all(Array.from({ length: 12 }, (_, i) => lm.complete(request(i))));
    // Without reconciliation 10 of the 12 would wait for the 10 s window to move on.
    expect(performance.now() - started).toBeLessThan(5 * WINDOW);
    expect((await limited.usage("openai")).tokens).toBe(12 * 20);
  });

  test("per-model and per-provider limits both hold", async () => {
    const limited = withRateLimit({
      windowMs: WINDOW,
      marginMs: MARGIN,
      limits: [
        { provider: "openai", requestsPerMinute: 4 },
        { provider: "openai", model: "test-a", requestsPerMinute: 2 },
      ],
    });
    const a = limited(clientFor(server, { model: "test-a" }));
    const b = limited(clientFor(server, { model: "test-b" }));
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).complete(ask(`m ${i}`))));
    expect(server.requestCount).toBe(12);
    const ofModel = (m: string) => server.requests.filter((r) => r.body.model === m).map((r) => ({ at: r.receivedAt, weight: 1 }));
    expect(maxInAnyWindow(ofModel("test-a"), WINDOW)).toBeLessThanOrEqual(2);
    expect(maxInAnyWindow(arrivals(), WINDOW)).toBeLessThanOrEqual(4);
  });

  test("calls are admitted first in, first out", async () => {
    const order: string[] = [];
    const lm = withRateLimit({ windowMs: 500, limits: [{ provider: "openai", requestsPerMinute: 2 }] })(recording(clientFor(server), order));
    const sent = Array.from({ length: 7 }, (_, i) => `fifo ${i}`);
    await Promise.all(sent.map((text) => lm.complete(ask(text))));
    expect(order).toEqual(sent);
  });

  test("a call that waits past maxWaitMs fails with RATE_LIMITED and is never sent", async () => {
    const lm = withRateLimit({ windowMs: 10 * WINDOW, maxWaitMs: 150, limits: [{ provider: "openai", model: "test-model", requestsPerMinute: 1 }] })(clientFor(server));
    await lm.complete(ask("first"));
    const started = performance.now();
    const error = await rateLimited(lm.complete(ask("second")));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.details).toMatchObject({ reason: "wait-exceeded", provider: "openai", model: "test-model" });
    expect(error.details.retryAfterMs).toBeGreaterThan(9_000);
    expect(error.message).toMatch(/^openai "test-model": waited \d+ ms for rate-limit capacity \(1 requests per 10000 ms \(openai:test-model\)\) without getting it; raise maxWaitMs/);
    expect(server.requestCount).toBe(1);
  });

  test("a call that could never fit fails at once with RATE_LIMITED (too-large)", async () => {
    const lm = withRateLimit({ windowMs: WINDOW, limits: [{ provider: "openai", tokensPerMinute: 100 }] })(clientFor(server));
    const error = await rateLimited(lm.complete(ask("big", { maxTokens: 500 })));
    expect(error.details.reason).toBe("too-large");
    expect(error.message).toMatch(/needs an estimated \d+ tokens \(prompt \+ maxTokens\) but the limit "openai:\*" allows 100 tokens per 1000 ms; lower maxTokens or raise tokensPerMinute/);
    expect(server.requestCount).toBe(0);
  });

  test("an aborted wait is ABORTED, leaves the line and takes no capacity", async () => {
    const limited = withRateLimit({ windowMs: 10 * WINDOW, limits: [{ provider: "openai", requestsPerMinute: 1 }] });
    const lm = limited(clientFor(server));
    await lm.complete(ask("first"));
    const controller = new AbortController();
    const waiting = lm.complete(ask("second"), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(limited.waiting()).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ABORTED" });
    expect(limited.waiting()).toBe(0);
    expect((await limited.usage("openai")).requests).toBe(1);
  });

  test("streams are limited too, and their tokens reconciled on the final event", async () => {
    server.respondWith(() => ({ text: "one two three", usage: { promptTokens: 5, completionTokens: 3 } }));
    const limited = withRateLimit({ windowMs: WINDOW, limits: [{ provider: "openai", requestsPerMinute: 10, tokensPerMinute: 5_000 }] });
    const lm = limited(clientFor(server));
    let text = "";
    for await (const event of lm.stream!(ask("stream", { maxTokens: 1_000 }))) if (event.type === "text") text += event.delta;
    expect(text).toBe("one two three");
    expect(await limited.usage("openai")).toEqual({ requests: 1, tokens: 8 });
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    const bad = (options: unknown) => () => withRateLimit(options as never);
    expect(bad({ limits: [{ provider: "openai" }] })).toThrow('withRateLimit: option "limits[0]" must set requestsPerMinute, tokensPerMinute or both (got {"provider":"openai"})');
    expect(bad({ limits: [{ provider: "openai", requestsPerMinute: 0 }] })).toThrow('option "limits[0].requestsPerMinute" must be a whole number of requests per window > 0 (got 0)');
    expect(bad({ limits: [{ provider: "openai", rpm: 5 }] })).toThrow('option "limits[0].rpm" is not an option');
    expect(bad({ limits: [{ provider: "openai", requestsPerMinute: 1 }, { provider: "openai", tokensPerMinute: 5 }] })).toThrow('option "limits[1]" repeats the limit for provider "openai"; merge the two entries');
    expect(bad({ limits: {} })).toThrow('option "limits" must be a list of { provider, model?, requestsPerMinute?, tokensPerMinute? } (got {})');
    expect(bad({ limits: [], maxWaitMs: -1 })).toThrow('option "maxWaitMs" must be a whole number of milliseconds > 0 (got -1)');
  });
});
