import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { startStandIn, DEFAULT_STAND_IN_MODELS } from "../../testing";
import type { StandIn } from "../../testing";
import { Predict } from "../modules";
import { LMError } from "../errors";
import { createAnthropicLM } from "./anthropic-lm";
import { createCostMeter, withCostMeter } from "./cost-meter";
import { createPriceTable } from "./prices";
import { composeLM } from "./types";

let server: StandIn;
beforeEach(async () => {
  server = await startStandIn({ protocol: "anthropic", models: [...DEFAULT_STAND_IN_MODELS.anthropic, { id: "busy", fail: { status: 529 } }], apiKey: "sk-ant-test", minCacheTokens: 20 });
});
afterEach(() => server.close());

const lmFor = (extra: Parameters<typeof createAnthropicLM>[0] = {}) =>
  createAnthropicLM({ apiKey: "sk-ant-test", baseURL: server.baseURL, model: "claude-3-5-haiku-20241022", maxRetries: 0, ...extra });
const qa = new Predict("question -> answer: number");
const body = (i: number) => server.requests[i]?.body as Record<string, unknown>;

describe("createAnthropicLM", () => {
  test("runs a DSPEx program: the system prompt goes in `system` (marked for caching), turns alternate, usage by kind", async () => {
    const lm = lmFor();
    const { answer } = await qa.run({ question: "What is 2 + 3?" }, lm);
    expect(typeof answer).toBe("number");
    const sent = body(0);
    expect(sent.system).toEqual([expect.objectContaining({ type: "text", cache_control: { type: "ephemeral" } })]);
    expect((sent.messages as { role: string }[]).map((m) => m.role)).toEqual(["user"]);
    expect(sent.max_tokens).toBe(4096);
    const response = await lm.complete({ messages: [{ role: "system", content: "Be brief. ".repeat(20) }, { role: "user", content: "hello" }] });
    const again = await lm.complete({ messages: [{ role: "system", content: "Be brief. ".repeat(20) }, { role: "user", content: "hello" }] });
    expect(response.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(again.usage.cachedInputTokens).toBe(response.usage.cacheWriteTokens);
    expect(again.usage.inputTokens).toBe(response.usage.inputTokens);
    expect(response.provider).toBe("anthropic");
  });

  test("prices cache reads, cache writes and output at the model's own rates", async () => {
    const meter = createCostMeter();
    const prices = createPriceTable({ seed: false, overrides: server.priceEntries() });
    const lm = composeLM(lmFor(), withCostMeter({ prices, meter }));
    const request = { messages: [{ role: "system" as const, content: "Answer in one word. ".repeat(10) }, { role: "user" as const, content: "hi" }] };
    const first = await lm.complete(request);
    const second = await lm.complete(request);
    const perM = (tokens: number, usd: number) => (tokens * usd) / 1e6;
    const u1 = first.usage;
    expect(first.costUsd).toBeCloseTo(perM(u1.inputTokens - u1.cacheWriteTokens, 0.8) + perM(u1.cacheWriteTokens, 1) + perM(u1.outputTokens, 4), 12);
    const u2 = second.usage;
    expect(second.costUsd).toBeCloseTo(perM(u2.inputTokens - u2.cachedInputTokens, 0.8) + perM(u2.cachedInputTokens, 0.08) + perM(u2.outputTokens, 4), 12);
    expect(second.costUsd).toBeLessThan(first.costUsd as number);
    expect(meter.calls).toBe(2);
  });

  test("structured output through a forced tool; the tool's input is the reply text", async () => {
    const lm = lmFor({ model: "stubborn-claude" });
    const schema = { type: "object", properties: { answer: { type: "number" } }, required: ["answer"] };
    const { messages } = qa.format({ question: "What is 2 + 3?" });
    const response = await lm.complete({ messages, responseFormat: { type: "json_schema", name: "outputs", schema } });
    expect(JSON.parse(response.text)).toEqual({ answer: expect.any(Number) });
    expect(response.finishReason).toBe("stop");
    expect(body(0).tool_choice).toEqual({ type: "tool", name: "json_output" });
  });

  test("extended thinking from reasoningEffort: budget sent, temperature dropped, thinking tokens counted", async () => {
    const lm = lmFor({ model: "claude-sonnet-4-20250514" });
    const response = await lm.complete({ messages: [{ role: "user", content: "think about it" }], reasoningEffort: "low", temperature: 0.3, maxTokens: 500 });
    expect(body(0).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(body(0).temperature).toBeUndefined();
    expect(body(0).max_tokens).toBeGreaterThan(2048);
    expect(response.usage.reasoningTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThanOrEqual(response.usage.reasoningTokens);
    expect(response.text).not.toContain("I read the inputs first");
  });

  test("streams text deltas that join to the reply, with usage at the end", async () => {
    const lm = lmFor();
    let text = "";
    let done: Awaited<ReturnType<typeof lm.complete>> | undefined;
    for await (const event of lm.stream!({ messages: [{ role: "user", content: "say something" }], temperature: 1.7 })) {
      if (event.type === "text") text += event.delta;
      else done = event.response;
    }
    expect(text).toBe(done?.text);
    expect(text.length).toBeGreaterThan(0);
    expect(done?.usage.outputTokens).toBeGreaterThan(0);
    expect(body(0).temperature).toBe(1);
    expect(body(0).stream).toBe(true);
  });

  test("a reply cut at max_tokens finishes with length; failures are LMErrors naming status and attempts", async () => {
    const cut = await lmFor().complete({ messages: [{ role: "user", content: "tell me everything" }], maxTokens: 2 });
    expect(cut.finishReason).toBe("length");
    const busy = lmFor({ model: "busy", maxRetries: 1 }).complete({ messages: [{ role: "user", content: "x" }] });
    await expect(busy).rejects.toBeInstanceOf(LMError);
    await expect(busy).rejects.toMatchObject({ details: { status: 529 }, message: expect.stringMatching(/2 attempts.*overloaded_error/) });
    await expect(createAnthropicLM({ apiKey: "wrong", baseURL: server.baseURL, model: "house-claude", maxRetries: 0 }).complete({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      details: { status: 401 },
    });
    expect(() => createAnthropicLM({ baseURL: server.baseURL })).toThrow(/API key/);
  });
});
