import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer } from "../testing";
import { createOpenAILM } from ".";
import type { LM, LMRequest, LMResponse, LMStreamEvent } from ".";
import type { LMError } from "../errors";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const ask = (extra: Partial<LMRequest> = {}): LMRequest => ({ messages: [{ role: "user", content: "hi" }], ...extra });

async function collect(lm: LM, request: LMRequest): Promise<{ deltas: string[]; done: LMResponse[]; error?: LMError }> {
  const deltas: string[] = [];
  const done: LMResponse[] = [];
  try {
    for await (const event of lm.stream!(request) as AsyncIterable<LMStreamEvent>) {
      if (event.type === "text") deltas.push(event.delta);
      else done.push(event.response);
    }
  } catch (error) {
    return { deltas, done, error: error as LMError };
  }
  return { deltas, done };
}

describe("createOpenAILM: streaming", () => {
  test("yields text deltas, then one done with the full response and the final chunk's usage", async () => {
    server.respondWith(() => ({ text: "The quick brown fox", usage: { promptTokens: 11, completionTokens: 4, cachedTokens: 8, reasoningTokens: 1 } }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini" });
    const { deltas, done } = await collect(lm, ask());
    expect(deltas).toEqual(["The ", "quick ", "brown ", "fox"]);
    expect(done).toHaveLength(1);
    expect(done[0]!.text).toBe("The quick brown fox");
    expect(done[0]!.usage).toEqual({ inputTokens: 11, cachedInputTokens: 8, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 1 });
    expect(done[0]!.usageEstimated).toBeUndefined();
    expect(done[0]!.finishReason).toBe("stop");
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  test("providers that do not take stream_options: usage from Groq's x_groq, or estimated when absent", async () => {
    server.respondWith(() => ({ text: "a b", usage: { promptTokens: 5, completionTokens: 2 }, streamUsage: "x_groq" }));
    const groq = createOpenAILM({ provider: "groq", apiKey: "k", baseURL: server.baseURL, model: "llama-3.1-8b-instant" });
    const fromGroq = await collect(groq, ask());
    expect(server.requests[0]!.body).not.toHaveProperty("stream_options");
    expect(fromGroq.done[0]!.usage.inputTokens).toBe(5);
    server.respondWith(() => ({ text: "hello world", streamUsage: "never" }));
    const together = createOpenAILM({ provider: "together", apiKey: "k", baseURL: server.baseURL, model: "m" });
    const estimated = await collect(together, ask());
    expect(estimated.done[0]!.usageEstimated).toBe(true);
    expect(estimated.done[0]!.usage.outputTokens).toBe(2);
  });

  test("assembles streamed tool calls from their fragments", async () => {
    server.respondWith(() => ({ text: "", toolCalls: [{ id: "c1", name: "search", arguments: '{"q":"dspy optimizers"}' }] }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o" });
    const { deltas, done } = await collect(lm, ask({ tools: [{ name: "search", description: "s", parameters: { type: "object" } }] }));
    expect(deltas).toEqual([]);
    expect(done[0]!.toolCalls).toEqual([{ id: "c1", name: "search", arguments: '{"q":"dspy optimizers"}' }]);
    expect(done[0]!.finishReason).toBe("tool_calls");
  });

  test("n > 1 streams the first choice and returns every choice", async () => {
    server.respondWith(() => ({ choices: ["x y", "z"] }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o" });
    const { deltas, done } = await collect(lm, ask({ n: 2 }));
    expect(deltas.join("")).toBe("x y");
    expect(done[0]!.choices).toEqual(["x y", "z"]);
  });

  test("a connection reset mid-stream is LM_ERROR after the deltas already received", async () => {
    server.respondWith(() => ({ type: "reset", text: "one two three four", afterChunks: 2 }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o", maxRetries: 0 });
    const { deltas, done, error } = await collect(lm, ask());
    expect(deltas).toEqual(["one ", "two "]);
    expect(done).toEqual([]);
    expect(error?.code).toBe("LM_ERROR");
    expect(error?.message).toMatch(/the stream broke after 8 characters/);
  });

  test("an event that is not JSON is LM_BAD_RESPONSE", async () => {
    server.respondWith(() => ({ type: "malformed" }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o" });
    const { error } = await collect(lm, ask());
    expect(error?.code).toBe("LM_BAD_RESPONSE");
  });

  test("a 429 before the stream starts is retried like any call", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "rate-limit", retryAfterMs: 20 } : { text: "ok" }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o" });
    const { done } = await collect(lm, ask());
    expect(done[0]!.retries).toBe(1);
    expect(done[0]!.text).toBe("ok");
  });
});
