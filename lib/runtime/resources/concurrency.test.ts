import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { ConcurrencyLimitedError, withConcurrency } from ".";
import { ask, clientFor } from "./testing";

let server: OpenAIServer;
let inFlight = 0;
let maxInFlight = 0;
let holdMs = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  inFlight = 0;
  maxInFlight = 0;
  holdMs = 100;
  server.respondWith(async () => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await sleep(holdMs);
    inFlight--;
    return { text: "done" };
  });
});

describe("withConcurrency", () => {
  test("the server never sees more calls in flight per provider than the limit; every call completes", async () => {
    const limiter = withConcurrency({ limits: { openai: 2 } });
    const lm = limiter(clientFor(server));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => lm.complete(ask(`c${i}`))));
    expect(results).toHaveLength(8);
    expect(maxInFlight).toBe(2);
    expect(limiter.load("openai")).toEqual({ running: 0, waiting: 0 });
  });

  test("providers have their own slots; unnamed providers use defaultLimit or are unlimited", async () => {
    const limiter = withConcurrency({ limits: { a: 1 } });
    const a = limiter(clientFor(server, { providerName: "a" }));
    const b = limiter(clientFor(server, { providerName: "b" }));
    await Promise.all([...Array.from({ length: 3 }, () => a.complete(ask("a"))), ...Array.from({ length: 3 }, () => b.complete(ask("b")))]);
    expect(maxInFlight).toBe(4); // 1 of a + 3 of b
  });

  test("a call that waits past maxWaitMs fails with CONCURRENCY_LIMITED and is never sent", async () => {
    holdMs = 400;
    const lm = withConcurrency({ limits: { openai: 1 }, maxWaitMs: 100 })(clientFor(server));
    const first = lm.complete(ask("first"));
    const error = await lm.complete(ask("second")).then(
      () => undefined,
      (e: unknown) => e as ConcurrencyLimitedError,
    );
    expect(error).toBeInstanceOf(ConcurrencyLimitedError);
    expect(error!.code).toBe("CONCURRENCY_LIMITED");
    expect(error!.message).toMatch(/^openai: waited \d+ ms for one of 1 concurrency slots without getting one; raise maxWaitMs or the limit, or send fewer calls$/);
    await first;
    expect(server.requestCount).toBe(1);
  });

  test("an aborted wait is ABORTED and frees its place", async () => {
    const limiter = withConcurrency({ limits: { openai: 1 } });
    const lm = limiter(clientFor(server));
    const first = lm.complete(ask("first"));
    const controller = new AbortController();
    const second = lm.complete(ask("second"), { signal: controller.signal });
    await sleep(10);
    expect(limiter.load("openai")).toEqual({ running: 1, waiting: 1 });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: "ABORTED" });
    await first;
    expect(await lm.complete(ask("third"))).toMatchObject({ text: "done" });
    expect(server.requestCount).toBe(2);
  });

  test("a stream holds its slot until it ends, and gives it back when the consumer stops early", async () => {
    holdMs = 0;
    server.respondWith(() => ({ text: "a b c d e f" }));
    const limiter = withConcurrency({ limits: { openai: 1 } });
    const lm = limiter(clientFor(server));
    for await (const event of lm.stream!(ask("s"))) {
      if (event.type === "text") {
        expect(limiter.load("openai").running).toBe(1);
        break;
      }
    }
    await new Promise((r) => setImmediate(r)); // p-queue counts the freed slot a tick later
    expect(limiter.load("openai").running).toBe(0);
    expect((await lm.complete(ask("after"))).text).toBe("a b c d e f");
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    expect(() => withConcurrency({ limits: { openai: 0 } })).toThrow('withConcurrency: option "limits.openai" must be a whole number of calls in flight > 0 (got 0)');
    expect(() => withConcurrency({ defaultLimit: 2.5 })).toThrow('option "defaultLimit" must be a whole number of calls in flight > 0 (got 2.5)');
    expect(() => withConcurrency({ max: 3 } as never)).toThrow(/option "max" is not an option/);
  });
});
