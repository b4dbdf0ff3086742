import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { BreakerStateSchema } from "../../schemas";
import { CircuitOpenError, createBreakers, type BreakerEvent } from ".";
import { ask, clientFor } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

// The cooldown is measured on the wall clock (cockatiel reads Date.now()): only Date is faked, so
// the test server's sockets and timers run as usual while the tests move time past a cooldown.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});
const pass = (ms: number) => vi.setSystemTime(Date.now() + ms);
let healthy = true;
beforeEach(() => {
  healthy = true;
  server.respondWith(() => (healthy ? { text: "ok" } : { type: "error", status: 503, message: "down" }));
});

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe("createBreakers", () => {
  test("closed -> open after N consecutive failures -> fails fast -> half-open after the cooldown -> closed on success, with events", async () => {
    const events: BreakerEvent[] = [];
    const breakers = createBreakers({ consecutiveFailures: 3, halfOpenAfterMs: 300, onEvent: (e) => events.push(e) });
    const lm = breakers(clientFor(server));
    healthy = false;
    for (let i = 0; i < 3; i++) expect(await outcome(lm.complete(ask("x")))).toBe("LM_ERROR");
    expect(breakers.state("openai")).toMatchObject({ provider: "openai", state: "open", failures: 3 });

    const fast = (await lm.complete(ask("x")).then(
      () => undefined,
      (e: unknown) => e,
    )) as CircuitOpenError;
    expect(fast).toBeInstanceOf(CircuitOpenError);
    expect(fast.code).toBe("CIRCUIT_OPEN");
    expect(fast.details.retryAfterMs).toBeGreaterThan(0);
    expect(fast.details.retryAfterMs).toBeLessThanOrEqual(300);
    expect(fast.message).toMatch(/^openai: circuit breaker open after 3 failure\(s\); calls fail fast for \d+ ms more, then one probe call is let through$/);
    expect(server.requestCount).toBe(3);

    pass(320);
    healthy = true;
    expect(await outcome(lm.complete(ask("probe")))).toBe("ok");
    expect(server.requestCount).toBe(4);
    expect(breakers.snapshot()).toEqual([expect.objectContaining({ provider: "openai", state: "closed", failures: 0 })]);
    expect(events.map((e) => [e.payload.state, e.payload.failures])).toEqual([
      ["open", 3],
      ["half-open", 3],
      ["closed", 0],
    ]);
    for (const e of events) {
      expect(e.name).toBe("breaker:state");
      expect(BreakerStateSchema.parse(e.payload)).toEqual(e.payload);
    }
  });

  test("a failed probe opens the breaker again", async () => {
    const events: BreakerEvent[] = [];
    const breakers = createBreakers({ consecutiveFailures: 2, halfOpenAfterMs: 150, onEvent: (e) => events.push(e) });
    const lm = breakers(clientFor(server));
    healthy = false;
    await outcome(lm.complete(ask("x")));
    await outcome(lm.complete(ask("x")));
    pass(170);
    expect(await outcome(lm.complete(ask("probe")))).toBe("LM_ERROR");
    expect(await outcome(lm.complete(ask("x")))).toBe("CIRCUIT_OPEN");
    expect(events.map((e) => e.payload.state)).toEqual(["open", "half-open", "open"]);
    expect(server.requestCount).toBe(3);
  });

  test("429s, 4xx and a success in between do not open it", async () => {
    const breakers = createBreakers({ consecutiveFailures: 2 });
    const lm = breakers(clientFor(server));
    server.respondWith(() => ({ type: "rate-limit", retryAfterMs: 1 }));
    for (let i = 0; i < 4; i++) await outcome(lm.complete(ask("x")));
    server.respondWith(() => ({ type: "error", status: 400 }));
    for (let i = 0; i < 4; i++) await outcome(lm.complete(ask("x")));
    let n = 0;
    server.respondWith(() => (n++ % 2 === 0 ? { type: "error", status: 500 } : { text: "ok" }));
    for (let i = 0; i < 6; i++) await outcome(lm.complete(ask("x")));
    expect(breakers.state("openai").state).toBe("closed");
    expect(server.requestCount).toBe(14);
  });

  test("hung calls cut by a timeout count as failures", async () => {
    const breakers = createBreakers({ consecutiveFailures: 2 });
    const lm = breakers(clientFor(server, { timeoutMs: 100 }));
    server.respondWith(() => ({ type: "hang" }));
    expect(await outcome(lm.complete(ask("x")))).toBe("LM_TIMEOUT");
    expect(await outcome(lm.complete(ask("x")))).toBe("LM_TIMEOUT");
    expect(await outcome(lm.complete(ask("x")))).toBe("CIRCUIT_OPEN");
  });

  test("one breaker per provider: an open one leaves the others alone", async () => {
    const breakers = createBreakers({ consecutiveFailures: 1 });
    const a = breakers(clientFor(server, { providerName: "provider-a" }));
    const b = breakers(clientFor(server, { providerName: "provider-b" }));
    healthy = false;
    await outcome(a.complete(ask("x")));
    healthy = true;
    expect(await outcome(a.complete(ask("x")))).toBe("CIRCUIT_OPEN");
    expect(await outcome(b.complete(ask("x")))).toBe("ok");
    expect(breakers.snapshot().map((s) => [s.provider, s.state])).toEqual([
      ["provider-a", "open"],
      ["provider-b", "closed"],
    ]);
  });

  test("failure ratio over a window opens it", async () => {
    const breakers = createBreakers({ failureRatio: { ratio: 0.5, windowMs: 5_000, minimumCalls: 6 } });
    const lm = breakers(clientFor(server));
    let n = 0;
    server.respondWith(() => (n++ % 3 === 0 ? { text: "ok" } : { type: "error", status: 500 }));
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(await outcome(lm.complete(ask("x"))));
    // ok, fail, fail, ok, fail, fail (6 calls, 4 failed > half): open
    expect(seen.slice(0, 6)).toEqual(["ok", "LM_ERROR", "LM_ERROR", "ok", "LM_ERROR", "LM_ERROR"]);
    expect(seen.slice(6)).toEqual(["CIRCUIT_OPEN", "CIRCUIT_OPEN"]);
  });

  test("execute() guards any async work under a key", async () => {
    const breakers = createBreakers({ consecutiveFailures: 1, isFailure: () => true });
    await expect(breakers.execute("db", async () => Promise.reject(new Error("no connection")))).rejects.toThrow("no connection");
    await expect(breakers.execute("db", async () => "never runs")).rejects.toBeInstanceOf(CircuitOpenError);
    expect(await breakers.execute("other", async () => 42)).toBe(42);
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    expect(() => createBreakers({ consecutiveFailures: 0 })).toThrow('createBreakers: option "consecutiveFailures" must be a whole number of failures >= 1 (got 0)');
    expect(() => createBreakers({ failureRatio: { ratio: 1, windowMs: 1000 } })).toThrow('option "failureRatio.ratio" must be a number between 0 and 1 (exclusive), e.g. 0.5 (got 1)');
    expect(() => createBreakers({ consecutiveFailures: 3, failureRatio: { ratio: 0.5, windowMs: 1000 } })).toThrow(
      'option "failureRatio" and consecutiveFailures are both set; choose one way to open the breaker',
    );
    expect(() => createBreakers({ halfOpenAfter: 5 } as never)).toThrow(/option "halfOpenAfter" is not an option; options: consecutiveFailures, failureRatio, halfOpenAfterMs/);
  });
});
