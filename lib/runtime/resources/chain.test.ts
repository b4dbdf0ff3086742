import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { BreakerStateSchema, BudgetStatusSchema } from "../../schemas";
import { BudgetLimitExceededError, estimateRequestTokens, resourceChain, type ResourceEvent } from ".";
import { ask, clientFor, maxInAnyWindow, testPrices } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function failure(promise: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error("expected a failure");
}

describe("resourceChain", () => {
  test("every retry goes back through the rate limit: the provider never sees retries above its limit", async () => {
    server.respondWith((r) => (r.index < 3 ? { type: "error", status: 500, message: "flaky" } : { text: "ok" }));
    const chain = resourceChain({
      retry: { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 10 },
      breaker: false,
      rateLimits: { windowMs: 1_000, marginMs: 200, limits: [{ provider: "openai", requestsPerMinute: 2 }] },
    });
    const response = await chain.wrap(clientFor(server)).complete(ask("retry me"));
    expect(response.retries).toBe(3);
    expect(server.requestCount).toBe(4);
    expect(maxInAnyWindow(server.requests.map((r) => ({ at: r.receivedAt, weight: 1 })), 1_000)).toBeLessThanOrEqual(2);
    expect(server.requests[2]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(1_000);
  });

  test("an open breaker fails fast instead of waiting in the rate-limit line", async () => {
    server.respondWith(() => ({ type: "error", status: 503 }));
    const chain = resourceChain({
      retry: false,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
      rateLimits: { windowMs: 60_000, limits: [{ provider: "openai", requestsPerMinute: 1 }] },
    });
    const lm = chain.wrap(clientFor(server));
    expect((await failure(lm.complete(ask("a")))).code).toBe("LM_ERROR");
    const started = performance.now();
    expect((await failure(lm.complete(ask("b")))).code).toBe("CIRCUIT_OPEN");
    expect(performance.now() - started).toBeLessThan(200);
    expect(chain.rateLimiter!.waiting()).toBe(0);
  });

  test("a budget refusal comes before any waiting, and a call is charged once, for the response it returns", async () => {
    const request = ask("budgeted", { maxTokens: 20 });
    const { inputTokens } = await estimateRequestTokens(request);
    server.respondWith((r) => (r.index === 0 ? { type: "error", status: 500 } : { text: "ok", usage: { promptTokens: inputTokens, completionTokens: 20 } }));
    const costUsd = (inputTokens * 1_000 + 20 * 2_000) / 1e9;
    const events: ResourceEvent[] = [];
    const chain = resourceChain({
      retry: { initialDelayMs: 1 },
      budget: { prices: testPrices(), limits: [{ scope: "program", scopeId: "qa", period: "day", limitUsd: Number((costUsd * 1.5).toFixed(9)) }] },
      rateLimits: { windowMs: 60_000, limits: [{ provider: "openai", requestsPerMinute: 2 }] },
      onEvent: (e) => events.push(e),
    });
    const lm = chain.wrap(clientFor(server), { programId: "qa" });
    expect((await lm.complete(request)).retries).toBe(1);
    const [status] = await chain.budget!.status({ programId: "qa" });
    expect(status!.spentUsd).toBeCloseTo(costUsd, 12);
    // The rate limit is used up for a minute too; the budget answers first, at once.
    const started = performance.now();
    expect(await failure(lm.complete(request))).toBeInstanceOf(BudgetLimitExceededError);
    expect(performance.now() - started).toBeLessThan(200);
    expect(events.filter((e) => e.name === "budget:status").map((e) => BudgetStatusSchema.parse(e.payload).exhausted)).toEqual([false, true]);
  });

  test("breaker events reach onEvent; scopes are per wrap and limiters are shared", async () => {
    server.respondWith(() => ({ type: "error", status: 500 }));
    const events: ResourceEvent[] = [];
    const chain = resourceChain({ retry: false, breaker: { consecutiveFailures: 2 }, onEvent: (e) => events.push(e) });
    const a = chain.wrap(clientFor(server), { programId: "a" });
    const b = chain.wrap(clientFor(server), { programId: "b" });
    await failure(a.complete(ask("x")));
    await failure(b.complete(ask("x")));
    expect(events.map((e) => e.name)).toEqual(["breaker:state"]);
    expect(BreakerStateSchema.parse(events[0]!.payload)).toMatchObject({ provider: "openai", state: "open", failures: 2 });
    expect((await failure(a.complete(ask("x")))).code).toBe("CIRCUIT_OPEN");
  });

  test("defaults: retries and a breaker on, a timeout per attempt, no rate limits or budgets", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "error", status: 502 } : { text: "ok" }));
    const chain = resourceChain({ retry: { initialDelayMs: 1 } });
    expect(chain.breakers).toBeDefined();
    expect(chain.budget).toBeUndefined();
    expect(chain.rateLimiter).toBeUndefined();
    expect((await chain.wrap(clientFor(server)).complete(ask("x"))).retries).toBe(1);
  });

  test("bad options fail with errors naming the component, the option and the value", () => {
    expect(() => resourceChain({ timeoutMs: 0 })).toThrow('resourceChain: option "timeoutMs" must be a whole number of milliseconds > 0, or false (got 0)');
    expect(() => resourceChain({ rateLimits: { limits: [{ provider: "openai", requestsPerMinute: -1 }] } })).toThrow('withRateLimit: option "limits[0].requestsPerMinute"');
    expect(() => resourceChain({ budget: { limits: [] } as never })).toThrow('createBudgetGuard: option "prices" must be a PriceTable');
    expect(() => resourceChain({ retries: 2 } as never)).toThrow(/resourceChain: option "retries" is not an option; options: rateLimits, concurrency, timeoutMs, retry, breaker, budget/);
  });
});
