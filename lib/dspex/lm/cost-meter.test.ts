import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer } from "../testing";
import { composeLM, createCostMeter, createOpenAILM, createPriceTable, withCache, withCostMeter } from ".";
import type { CostEvent, LMStreamEvent } from ".";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.respondWith(() => ({ text: "ok", usage: { promptTokens: 1_000, completionTokens: 200, cachedTokens: 400, reasoningTokens: 50 } }));
});

const prices = createPriceTable({ seed: false, overrides: [{ model: "^priced-model$", prices: { input: "2", cachedInput: "0.5", output: "8", reasoning: "10" } }] });
const ask = { messages: [{ role: "user" as const, content: "q" }] };
// 600 x 2 + 400 x 0.5 + 150 x 8 + 50 x 10 = 1200 + 200 + 1200 + 500 = 3100 micro-dollars
const EXPECTED_PICO = 3_100_000_000n;

describe("withCostMeter", () => {
  test("sets costUsd from the price table and reports the exact cost", async () => {
    const events: CostEvent[] = [];
    const meter = createCostMeter();
    const lm = composeLM(createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "priced-model" }), withCostMeter({ prices, meter, onCost: (e) => events.push(e) }));
    const r = await lm.complete(ask);
    expect(r.costUsd).toBe(0.0031);
    expect(events[0]!.cost.picoUsd).toBe(EXPECTED_PICO);
    expect(events[0]!.cost.modelPattern).toBe("^priced-model$");
    await lm.complete(ask);
    expect(meter.totalPicoUsd).toBe(2n * EXPECTED_PICO);
    expect(meter.totalUsd).toBe(0.0062);
    expect(meter.byModel().get("priced-model")).toMatchObject({ calls: 2, picoUsd: 2n * EXPECTED_PICO, provider: "custom" });
  });

  test("leaves costUsd undefined for a model without a price and reports it as unpriced", async () => {
    const events: CostEvent[] = [];
    const meter = createCostMeter();
    const lm = composeLM(createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "unknown-model" }), withCostMeter({ prices, meter, onCost: (e) => events.push(e) }));
    const r = await lm.complete(ask);
    expect(r.costUsd).toBeUndefined();
    expect(events[0]!.cost.priced).toBe(false);
    expect(meter.unpricedCalls).toBe(1);
    expect(meter.totalPicoUsd).toBe(0n);
  });

  test("a cache hit costs 0, whichever side of the cache the meter sits", async () => {
    for (const order of ["meter outside", "meter inside"] as const) {
      server.reset();
      const meter = createCostMeter();
      const base = createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "priced-model" });
      const lm =
        order === "meter outside" ? composeLM(base, withCache(), withCostMeter({ prices, meter })) : composeLM(base, withCostMeter({ prices, meter }), withCache());
      const first = await lm.complete(ask);
      const second = await lm.complete(ask);
      expect(first.costUsd).toBe(0.0031);
      expect(second).toMatchObject({ cacheHit: true, costUsd: 0 });
      expect(server.requestCount).toBe(1);
      expect(meter.totalPicoUsd).toBe(EXPECTED_PICO);
    }
  });

  test("sums many small costs exactly (no float drift)", () => {
    const meter = createCostMeter();
    const table = createPriceTable({ seed: false, overrides: [{ model: "^t$", prices: { input: "0.1", output: "0" } }] });
    const usage = { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
    const response = { text: "", finishReason: "stop" as const, usage, provider: "p", model: "t", cacheHit: false, latencyMs: 0 };
    for (let i = 0; i < 10; i++) meter.add({ response, cost: table.cost(usage, "t") });
    expect(meter.totalPicoUsd).toBe(1_000_000n);
    meter.reset();
    expect(meter.calls).toBe(0);
  });

  test("prices the done event of a stream", async () => {
    const lm = composeLM(createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "priced-model" }), withCostMeter({ prices }));
    const events: LMStreamEvent[] = [];
    for await (const e of lm.stream!(ask)) events.push(e);
    const done = events.at(-1) as Extract<LMStreamEvent, { type: "done" }>;
    expect(done.response.costUsd).toBe(0.0031);
  });

  test("loads the seed on first use", async () => {
    const table = createPriceTable();
    const lm = composeLM(createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini" }), withCostMeter({ prices: table }));
    const r = await lm.complete(ask);
    expect(table.loaded).toBe(true);
    // 600 x 0.15 + 400 x 0.075 + 200 x 0.6 = 90 + 30 + 120 = 240 micro-dollars
    expect(r.costUsd).toBe(0.00024);
  });
});
