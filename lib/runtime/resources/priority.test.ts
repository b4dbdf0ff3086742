// Interactive before background: when a provider's limits bind, calls marked background
// (optimizations, agents) wait behind every interactive call (predictions, the playground), in
// the rate limiter's line and for concurrency slots, and still run in their own order.
import { describe, expect, test } from "vitest";
import type { LM, LMRequest, LMResponse } from "../../dspex";
import { EMPTY_USAGE } from "../../dspex";
import { FakeClock } from "../clock";
import { resourceChain, withConcurrency, withRateLimit } from ".";

const request = (text: string): LMRequest => ({ messages: [{ role: "user", content: text }] });

/** An LM that records the order calls reach it and answers each when told to. */
function gatedLM() {
  const order: string[] = [];
  const pending: (() => void)[] = [];
  const lm: LM = {
    provider: "p",
    defaultModel: "m",
    complete: (r) =>
      new Promise<LMResponse>((resolve) => {
        order.push(r.messages[0]!.content as string);
        pending.push(() => resolve({ text: "ok", model: "m", usage: EMPTY_USAGE, finishReason: "stop" } as unknown as LMResponse));
      }),
  };
  return { lm, order, answerAll: () => pending.splice(0).forEach((f) => f()) };
}

/** Lets pending promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("interactive calls go ahead of background calls", () => {
  test("in the rate limiter's line: an interactive call that arrives last is admitted first, background calls keep their order", async () => {
    const clock = new FakeClock({ start: 0 });
    const { lm: inner, order, answerAll } = gatedLM();
    const lm = withRateLimit({ clock, windowMs: 1_000, buckets: 10, marginMs: 0, limits: [{ provider: "p", requestsPerMinute: 1 }] })(inner);
    const calls = [lm.complete(request("first"))];
    await settle();
    calls.push(lm.complete(request("background 1"), { priority: "background" }), lm.complete(request("background 2"), { priority: "background" }));
    await settle();
    calls.push(lm.complete(request("interactive 1")), lm.complete(request("interactive 2"), { priority: "interactive" }));
    for (let i = 0; i < 5; i++) {
      await clock.advance(1_000);
      answerAll();
      await settle();
    }
    await Promise.all(calls);
    expect(order).toEqual(["first", "interactive 1", "interactive 2", "background 1", "background 2"]);
  });

  test("for concurrency slots", async () => {
    const { lm: inner, order, answerAll } = gatedLM();
    const lm = withConcurrency({ limits: { p: 1 } })(inner);
    const calls = [lm.complete(request("first")), lm.complete(request("background"), { priority: "background" }), lm.complete(request("interactive"))];
    for (let i = 0; i < 3; i++) {
      await settle();
      answerAll();
    }
    await Promise.all(calls);
    expect(order).toEqual(["first", "interactive", "background"]);
  });

  test("a chain wrapped for background work marks its calls background; an interactive call overtakes them", async () => {
    const clock = new FakeClock({ start: 0 });
    const { lm: inner, order, answerAll } = gatedLM();
    const chain = resourceChain({ clock, retry: false, breaker: false, timeoutMs: false, rateLimits: { windowMs: 1_000, buckets: 10, marginMs: 0, limits: [{ provider: "p", requestsPerMinute: 1 }] } });
    const optimization = chain.wrap(inner, { optimizationId: "o1" }, "background");
    const serving = chain.wrap(inner, { programId: "qa" });
    const calls = [optimization.complete(request("trial 1")), optimization.complete(request("trial 2"))];
    await settle();
    calls.push(serving.complete(request("prediction")));
    for (let i = 0; i < 4; i++) {
      await clock.advance(1_000);
      answerAll();
      await settle();
    }
    await Promise.all(calls);
    expect(order).toEqual(["trial 1", "prediction", "trial 2"]);
  });
});
