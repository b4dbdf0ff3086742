import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { EMPTY_USAGE, type LM } from "../../dspex";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { withTimeout } from ".";
import { ask, clientFor } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected a failure");
}

describe("withTimeout", () => {
  test("a hung provider fails with LM_TIMEOUT at the resource timeout, not the client's", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const lm = withTimeout({ timeoutMs: 150 })(clientFor(server, { timeoutMs: 60_000 }));
    const started = performance.now();
    const error = await failure(lm.complete(ask("x")));
    const elapsed = performance.now() - started;
    expect(error.code).toBe("LM_TIMEOUT");
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_000);
  });

  test("an LM that ignores its abort signal still times out on time", async () => {
    const stubborn: LM = { provider: "stubborn", complete: () => new Promise(() => undefined) };
    const error = await failure(withTimeout({ timeoutMs: 50 })(stubborn).complete(ask("x")));
    expect(error.code).toBe("LM_TIMEOUT");
    expect(error.message).toBe("stubborn: no reply within 50 ms (resource timeout); raise timeoutMs or check the provider");
  });

  test("the caller's smaller timeoutMs wins", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const started = performance.now();
    const error = await failure(withTimeout({ timeoutMs: 10_000 })(clientFor(server)).complete(ask("x"), { timeoutMs: 80 }));
    expect(error.code).toBe("LM_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("the caller's abort is ABORTED, not a timeout", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const controller = new AbortController();
    const pending = withTimeout({ timeoutMs: 5_000 })(clientFor(server)).complete(ask("x"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    expect((await failure(pending)).code).toBe("ABORTED");
  });

  test("a stream times out when no event comes for timeoutMs, but a slow steady stream does not", async () => {
    server.respondWith(() => ({ type: "hang" }));
    const lm = withTimeout({ timeoutMs: 100 })(clientFor(server, { timeoutMs: 60_000 }));
    const consume = async () => {
      for await (const event of lm.stream!(ask("x"))) void event;
    };
    expect((await failure(consume())).code).toBe("LM_TIMEOUT");

    const ticking: LM = {
      provider: "ticking",
      complete: () => Promise.reject(new Error("unused")),
      async *stream() {
        for (let i = 0; i < 5; i++) {
          await new Promise((r) => setTimeout(r, 40));
          yield { type: "text", delta: `${i}` };
        }
        yield { type: "done", response: { text: "01234", finishReason: "stop", usage: EMPTY_USAGE, provider: "ticking", model: "t", cacheHit: false, latencyMs: 200 } };
      },
    };
    let text = "";
    for await (const event of withTimeout({ timeoutMs: 100 })(ticking).stream!(ask("x"))) if (event.type === "text") text += event.delta;
    expect(text).toBe("01234");
  });
});
