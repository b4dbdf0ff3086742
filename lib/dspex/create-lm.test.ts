import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLM, isDemoLM, Predict } from "./index";
import { startOpenAIServer, type OpenAIServer } from "./testing";

describe("createLM", () => {
  let server: OpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ respond: () => ({ text: "[[ ## answer ## ]]\nhi\n\n[[ ## completed ## ]]", usage: { promptTokens: 1_000_000, completionTokens: 0 } }) });
  });
  afterAll(() => server.close());

  it("is the offline demo model when no provider is configured, and prices its replies", async () => {
    const lm = createLM();
    expect(isDemoLM(lm)).toBe(true);
    const tracer = new (await import("./trace")).TraceRecorder();
    await new Predict("question -> answer").run({ question: "What is DSPEx?" }, { lm, tracer });
    const call = tracer.lmCalls[0]!;
    expect(call.model).toBe("dspex-demo-1");
    // Simulated demo prices: $0.15 per million input tokens, $0.60 per million output tokens.
    expect(call.costUsd).toBeCloseTo((call.usage.inputTokens * 0.15 + call.usage.outputTokens * 0.6) / 1e6, 12);
  });

  it("talks to a configured OpenAI-compatible endpoint, with the cache when asked", async () => {
    const lm = createLM({ baseURL: server.baseURL, apiKey: "k", model: "gpt-4o-mini", cache: true });
    expect(isDemoLM(lm)).toBe(false);
    const first = await lm.complete({ messages: [{ role: "user", content: "x" }] });
    const second = await lm.complete({ messages: [{ role: "user", content: "x" }] });
    expect(first.text).toContain("hi");
    expect(first.costUsd).toBeGreaterThan(0); // gpt-4o-mini has a seeded price
    expect(second).toMatchObject({ cacheHit: true, costUsd: 0 });
    expect(server.requestCount).toBe(1);
  });

  it("leaves costs unset when prices are turned off", async () => {
    const r = await createLM({ prices: false }).complete({ messages: [{ role: "user", content: "x" }] });
    expect(r.costUsd).toBeUndefined();
  });
});
