import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer, ReceivedRequest } from "../testing";
import { createOpenAILM } from ".";
import type { LMRequest } from ".";
import { LMError } from "../errors";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.respondWith(() => ({}));
});

const ask = (content: string, extra: Partial<LMRequest> = {}): LMRequest => ({ messages: [{ role: "user", content }], ...extra });
const lastBody = (): ReceivedRequest["body"] => server.requests.at(-1)!.body;

describe("createOpenAILM: replies", () => {
  test("maps text, usage by kind, provider, the model the reply names, and measures latency", async () => {
    server.respondWith(() => ({
      text: "Paris",
      model: "gpt-4o-mini-2024-07-18",
      usage: { promptTokens: 120, completionTokens: 30, cachedTokens: 100, reasoningTokens: 12 },
    }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini" });
    const r = await lm.complete(ask("capital of France?"));
    expect(r.text).toBe("Paris");
    expect(r.finishReason).toBe("stop");
    expect(r.usage).toEqual({ inputTokens: 120, cachedInputTokens: 100, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 12 });
    expect(r.provider).toBe("openai");
    expect(r.model).toBe("gpt-4o-mini-2024-07-18");
    expect(r.cacheHit).toBe(false);
    expect(r.retries).toBe(0);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.usageEstimated).toBeUndefined();
    expect(server.requests[0]?.headers.authorization).toBe("Bearer k");
  });

  test("reads provider usage variants: DeepSeek cache hits, OpenRouter cache writes", async () => {
    const lm = createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "deepseek-chat" });
    server.respondWith(() => ({ usage: { raw: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55, prompt_cache_hit_tokens: 40, prompt_cache_miss_tokens: 10 } } }));
    expect((await lm.complete(ask("x"))).usage).toMatchObject({ inputTokens: 50, cachedInputTokens: 40, outputTokens: 5 });
    server.respondWith(() => ({
      usage: { raw: { prompt_tokens: 300, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 200 } } },
    }));
    expect((await lm.complete(ask("x"))).usage).toMatchObject({ inputTokens: 300, cachedInputTokens: 0, cacheWriteTokens: 200 });
  });

  test("estimates usage with o200k_base when the reply has none, and says so", async () => {
    server.respondWith(() => ({ text: "hello world", usage: null }));
    const lm = createOpenAILM({ provider: "ollama", baseURL: server.baseURL, model: "llama3" });
    const r = await lm.complete(ask("hello there"));
    expect(r.usageEstimated).toBe(true);
    expect(r.usage.outputTokens).toBe(2);
    // 3 (reply priming) + 3 (message) + 2 ("hello there")
    expect(r.usage.inputTokens).toBe(8);
  });

  test("sends tool specs, assistant tool calls and tool results; maps the tool calls in the reply", async () => {
    server.respondWith(() => ({ text: "", toolCalls: [{ id: "call_9", name: "weather", arguments: '{"city":"Oslo"}' }] }));
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o" });
    const r = await lm.complete({
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "weather?", name: "ann" },
        { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "lookup", arguments: "{}" }] },
        { role: "tool", content: "42", toolCallId: "call_1" },
      ],
      tools: [{ name: "weather", description: "Weather by city", parameters: { type: "object", properties: { city: { type: "string" } } } }],
    });
    expect(r.toolCalls).toEqual([{ id: "call_9", name: "weather", arguments: '{"city":"Oslo"}' }]);
    expect(r.finishReason).toBe("tool_calls");
    const body = lastBody();
    expect(body.messages).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "weather?", name: "ann" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }] },
      { role: "tool", content: "42", tool_call_id: "call_1" },
    ]);
    expect(body.tools).toEqual([
      { type: "function", function: { name: "weather", description: "Weather by city", parameters: { type: "object", properties: { city: { type: "string" } } } } },
    ]);
  });

  test("n > 1 where the provider takes n: one request, every choice returned", async () => {
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini" });
    const r = await lm.complete(ask("pick", { n: 3 }));
    expect(server.requestCount).toBe(1);
    expect(lastBody().n).toBe(3);
    expect(r.choices).toEqual(["echo: pick", "echo: pick (2)", "echo: pick (3)"]);
    expect(r.text).toBe("echo: pick");
  });

  test("n > 1 where the provider refuses n (Anthropic): n parallel single requests, usage summed", async () => {
    server.respondWith((req) => ({ text: `t${req.index}`, usage: { promptTokens: 10, completionTokens: 2 } }));
    const lm = createOpenAILM({ provider: "anthropic", apiKey: "k", baseURL: server.baseURL, model: "claude-sonnet-4-5" });
    const r = await lm.complete(ask("pick", { n: 3 }));
    expect(server.requestCount).toBe(3);
    expect(server.requests.every((q) => q.body.n === undefined)).toBe(true);
    expect([...r.choices!].sort()).toEqual(["t0", "t1", "t2"]);
    expect(r.usage.inputTokens).toBe(30);
    expect(r.usage.outputTokens).toBe(6);
  });
});

describe("createOpenAILM: requests adapted to the provider profile", () => {
  const full: LMRequest = {
    messages: [{ role: "system", content: "sys" }, { role: "user", content: "q", name: "bob" }],
    temperature: 0.3,
    topP: 0.9,
    stop: ["END"],
    seed: 7,
    maxTokens: 64,
    reasoningEffort: "minimal",
    responseFormat: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true },
  };

  test("an OpenAI reasoning model gets max_completion_tokens and no temperature, top_p or stop", async () => {
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL });
    await lm.complete({ ...full, model: "o3-mini" });
    const body = lastBody();
    expect(body.max_completion_tokens).toBe(64);
    expect(body).not.toHaveProperty("max_tokens");
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    expect(body).not.toHaveProperty("stop");
    // o-series know no "minimal" effort
    expect(body.reasoning_effort).toBe("low");
    expect(body.seed).toBe(7);
    expect(body.response_format).toEqual({ type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } });
  });

  test("gpt-5 keeps the minimal effort; an ordinary model keeps sampling settings and gets no reasoning_effort", async () => {
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL });
    await lm.complete({ ...full, model: "gpt-5-mini" });
    expect(lastBody().reasoning_effort).toBe("minimal");
    await lm.complete({ ...full, model: "gpt-4o-mini" });
    const body = lastBody();
    expect(body).toMatchObject({ temperature: 0.3, top_p: 0.9, stop: ["END"], max_completion_tokens: 64 });
    expect(body).not.toHaveProperty("reasoning_effort");
  });

  test("o1-mini gets its system message as a user message", async () => {
    const lm = createOpenAILM({ apiKey: "k", baseURL: server.baseURL });
    await lm.complete({ ...full, model: "o1-mini" });
    expect(lastBody().messages?.[0]?.role).toBe("user");
  });

  test("Anthropic drops response_format, seed and reasoning_effort, and caps temperature at 1", async () => {
    const lm = createOpenAILM({ provider: "anthropic", apiKey: "k", baseURL: server.baseURL });
    await lm.complete({ ...full, model: "claude-sonnet-4-5", temperature: 1.5 });
    const body = lastBody();
    expect(body.temperature).toBe(1);
    expect(body.max_tokens).toBe(64);
    for (const key of ["response_format", "seed", "reasoning_effort", "reasoning"]) expect(body).not.toHaveProperty(key);
  });

  test("Groq: json_schema only on structured-output models (json_object elsewhere); message names dropped", async () => {
    const lm = createOpenAILM({ provider: "groq", apiKey: "k", baseURL: server.baseURL });
    await lm.complete({ ...full, model: "llama-3.1-8b-instant" });
    expect(lastBody().response_format).toEqual({ type: "json_object" });
    expect(lastBody().messages?.[1]).toEqual({ role: "user", content: "q" });
    await lm.complete({ ...full, model: "openai/gpt-oss-20b" });
    expect((lastBody().response_format as { type: string }).type).toBe("json_schema");
  });

  test("LM Studio gets no json_object; OpenRouter gets reasoning: { effort }", async () => {
    const studio = createOpenAILM({ provider: "lmstudio", baseURL: server.baseURL, model: "qwen" });
    await studio.complete({ ...full, responseFormat: { type: "json_object" } });
    expect(lastBody()).not.toHaveProperty("response_format");
    const router = createOpenAILM({ provider: "openrouter", apiKey: "k", baseURL: server.baseURL, model: "openai/o3" });
    await router.complete({ ...full, reasoningEffort: "high" });
    expect(lastBody().reasoning).toEqual({ effort: "high" });
    expect(lastBody()).not.toHaveProperty("reasoning_effort");
  });

  test("Azure: deployment URL with api-version and api-key header; max_tokens for ordinary deployments", async () => {
    const lm = createOpenAILM({ provider: "azure", endpoint: server.origin, apiKey: "az-key", apiVersion: "2024-10-21" });
    await lm.complete({ ...full, model: "gpt-4o" });
    let req = server.requests.at(-1)!;
    expect(req.path).toBe("/openai/deployments/gpt-4o/chat/completions");
    expect(req.query["api-version"]).toBe("2024-10-21");
    expect(req.headers["api-key"]).toBe("az-key");
    expect(req.body.max_tokens).toBe(64);
    await lm.complete({ ...full, model: "o3-mini" });
    req = server.requests.at(-1)!;
    expect(req.path).toBe("/openai/deployments/o3-mini/chat/completions");
    expect(req.body.max_completion_tokens).toBe(64);
    expect(req.body).not.toHaveProperty("temperature");
  });

  test("Azure with a fixed deployment sends every call there", async () => {
    const lm = createOpenAILM({ provider: "azure", endpoint: server.origin, apiKey: "k", deployment: "prod-4o" });
    expect(lm.defaultModel).toBe("prod-4o");
    await lm.complete(ask("x"));
    expect(server.requests.at(-1)!.path).toBe("/openai/deployments/prod-4o/chat/completions");
  });

  test("a custom profile override switches a flag off", async () => {
    const lm = createOpenAILM({ provider: "custom", baseURL: server.baseURL, model: "m", profile: { seed: false } });
    await lm.complete({ ...full, model: "m" });
    expect(lastBody()).not.toHaveProperty("seed");
    expect(lastBody().max_tokens).toBe(64);
  });
});

describe("createOpenAILM: configuration errors", () => {
  test("a provider that needs a key fails at creation without one", () => {
    expect(() => createOpenAILM({ provider: "groq" })).toThrow(/provider "groq" needs an API key/);
    const error = (() => {
      try {
        createOpenAILM({ provider: "openai" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LMError);
    expect((error as LMError).code).toBe("LM_NOT_CONFIGURED");
  });

  test("custom needs a baseURL; a request without any model is LM_NOT_CONFIGURED", async () => {
    expect(() => createOpenAILM({ provider: "custom" })).toThrow(/pass baseURL/);
    const lm = createOpenAILM({ provider: "vllm", baseURL: server.baseURL });
    await expect(lm.complete(ask("x"))).rejects.toMatchObject({ code: "LM_NOT_CONFIGURED" });
    expect(server.requestCount).toBe(0);
  });

  test("a tool message without toolCallId is refused before any call", async () => {
    const lm = createOpenAILM({ provider: "vllm", baseURL: server.baseURL, model: "m" });
    await expect(lm.complete({ messages: [{ role: "tool", content: "x" }] })).rejects.toThrow(/messages\[0\] has role "tool" but no toolCallId/);
    expect(server.requestCount).toBe(0);
  });
});
