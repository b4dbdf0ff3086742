import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, test } from "vitest";
import { Predict } from "../dspex";
import { DEFAULT_STAND_IN_MODELS, startAnthropicServer, startStandIn } from ".";
import type { AnthropicServer, StandIn } from ".";

let standIn: StandIn | undefined;
let raw: AnthropicServer | undefined;
afterEach(async () => {
  await standIn?.close();
  await raw?.close();
  standIn = raw = undefined;
});

// The chat adapter's own prompt for a small QA signature.
const QA = new Predict("question -> answer: number").format({ question: "What is 2 + 3?" }).messages;
const QA_SYSTEM = QA[0]?.content ?? "";
const QA_USER = QA[1]?.content ?? "";
const messages = [
  { role: "system" as const, content: QA_SYSTEM },
  { role: "user" as const, content: QA_USER },
];
const answerIn = (text: string | null | undefined) => /\[\[ ## answer ## \]\]\n(.+)\n/.exec(text ?? "")?.[1];

describe("OpenAI-compatible stand-in", () => {
  const openai = (s: StandIn, apiKey = "sk-test") => new OpenAI({ baseURL: s.baseURL, apiKey, maxRetries: 0 });

  test("lists its models, answers a DSPEx prompt in markers with usage, and prices only its priced models", async () => {
    standIn = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-test" });
    const client = openai(standIn);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(DEFAULT_STAND_IN_MODELS.openai.map((m) => m.id));
    const reply = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
    expect(answerIn(reply.choices[0]?.message.content)).toMatch(/^\d+$/);
    expect(reply.choices[0]?.finish_reason).toBe("stop");
    expect(reply.usage?.prompt_tokens).toBeGreaterThan(20);
    const entries = standIn.priceEntries();
    expect(entries.map((e) => e.model)).not.toContain("^house-model$");
    expect(entries.find((e) => e.model === "^gpt-4o-mini$")?.prices).toEqual({ input: "0.15", output: "0.6", cachedInput: "0.075" });
  });

  test("refuses as OpenAI does: wrong key, unknown model, max_tokens on a reasoning model", async () => {
    standIn = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-test" });
    const messages = [{ role: "user" as const, content: "hi" }];
    await expect(openai(standIn, "sk-wrong").chat.completions.create({ model: "gpt-4o-mini", messages })).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    await expect(openai(standIn).chat.completions.create({ model: "gpt-9", messages })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(openai(standIn).chat.completions.create({ model: "o4-mini", messages, max_tokens: 10 })).rejects.toMatchObject({ status: 400, param: "max_tokens" });
    const ok = await openai(standIn).chat.completions.create({ model: "o4-mini", messages, max_completion_tokens: 100 });
    expect(ok.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
  });

  test("a model that ignores markers writes prose, but obeys json_schema and forced tool calls", async () => {
    standIn = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai });
    const client = openai(standIn);
    const follows = answerIn((await client.chat.completions.create({ model: "gpt-4o-mini", messages })).choices[0]?.message.content) ?? "";
    const prose = await client.chat.completions.create({ model: "stubborn-model", messages });
    expect(prose.choices[0]?.message.content).not.toContain("[[ ##");
    expect(prose.choices[0]?.message.content).toContain(follows);
    const schema = { type: "object", properties: { answer: { type: "number" } }, required: ["answer"], additionalProperties: false };
    const json = await client.chat.completions.create({ model: "stubborn-model", messages, response_format: { type: "json_schema", json_schema: { name: "outputs", schema, strict: true } } });
    expect(JSON.parse(json.choices[0]?.message.content ?? "")).toEqual({ answer: Number(follows) });
    const tool = await client.chat.completions.create({
      model: "stubborn-model",
      messages,
      tools: [{ type: "function", function: { name: "outputs", parameters: schema } }],
      tool_choice: { type: "function", function: { name: "outputs" } },
    });
    expect(tool.choices[0]?.finish_reason).toBe("tool_calls");
    expect(JSON.parse(tool.choices[0]?.message.tool_calls?.[0]?.type === "function" ? tool.choices[0].message.tool_calls[0].function.arguments : "")).toEqual({ answer: Number(follows) });
  });

  test("cuts at max_tokens with finish_reason length, streams with a usage chunk, fails on purpose with Retry-After", async () => {
    standIn = await startStandIn({ protocol: "openai", models: [{ id: "m", price: { input: "1", output: "2" } }, { id: "flaky", fail: { status: 429, times: 1, retryAfterSeconds: 3 } }] });
    const client = openai(standIn);
    const long = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Tell me a long story about the sea and its ships." }], max_tokens: 3 });
    expect(long.choices[0]?.finish_reason).toBe("length");
    const stream = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hello there" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    const failing = await fetch(`${standIn.baseURL}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "flaky", messages: [{ role: "user", content: "x" }] }) });
    expect(failing.status).toBe(429);
    expect(failing.headers.get("retry-after")).toBe("3");
    expect((await client.chat.completions.create({ model: "flaky", messages: [{ role: "user", content: "x" }] })).choices).toHaveLength(1);
    standIn.script(() => ({ type: "malformed" }));
    const broken = await fetch(`${standIn.baseURL}/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }) });
    await expect(broken.json()).rejects.toThrow();
  });
});

describe("Anthropic Messages stand-in", () => {
  const anthropic = (s: { baseURL: string }, apiKey = "sk-ant-test") => new Anthropic({ baseURL: s.baseURL, apiKey, maxRetries: 0 });

  test("answers with a system prompt and content blocks, lists models, reports usage by kind", async () => {
    standIn = await startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, apiKey: "sk-ant-test" });
    const client = anthropic(standIn);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("claude-3-5-haiku-20241022");
    const message = await client.messages.create({
      model: "claude-3-5-haiku-20241022",
      max_tokens: 200,
      system: QA_SYSTEM,
      messages: [{ role: "user", content: [{ type: "text", text: QA_USER }] }],
    });
    expect(message.type).toBe("message");
    expect(message.stop_reason).toBe("end_turn");
    const block = message.content[0];
    expect(answerIn(block?.type === "text" ? block.text : "")).toMatch(/^\d+$/);
    expect(message.usage.input_tokens).toBeGreaterThan(20);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    await expect(anthropic(standIn, "wrong").messages.create({ model: "claude-3-5-haiku-20241022", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      status: 401,
      error: { type: "error", error: { type: "authentication_error" } },
    });
    await expect(client.messages.create({ model: "claude-9", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
  });

  test("checks requests as the API does", async () => {
    raw = await startAnthropicServer();
    const post = (body: unknown, headers: Record<string, string> = { "anthropic-version": "2023-06-01" }) =>
      fetch(`${raw!.baseURL}/v1/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const errorOf = async (res: Response) => ({ status: res.status, body: (await res.json()) as { type: string; error: { type: string; message: string } } });
    expect(await errorOf(await post({ model: "m", messages: [{ role: "user", content: "x" }] }))).toMatchObject({ status: 400, body: { type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") } } });
    expect((await errorOf(await post({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }] }))).body.error.message).toMatch(/alternate/);
    expect((await errorOf(await post({ model: "m", max_tokens: 5, messages: [{ role: "system", content: "a" }] }))).status).toBe(400);
    expect((await errorOf(await post({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "a" }] }, {}))).body.error.message).toMatch(/anthropic-version/);
    expect((await errorOf(await post({ model: "m", max_tokens: 5, temperature: 1.5, messages: [{ role: "user", content: "a" }] }))).body.error.message).toMatch(/temperature/);
    expect((await errorOf(await post({ model: "m", max_tokens: 2000, thinking: { type: "enabled", budget_tokens: 4000 }, messages: [{ role: "user", content: "a" }] }))).body.error.message).toMatch(/budget_tokens/);
  });

  test("forced tool use answers the schema; streaming sends the named events; cache writes then reads", async () => {
    standIn = await startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, minCacheTokens: 10 });
    const client = anthropic(standIn);
    const schema = { type: "object" as const, properties: { answer: { type: "number" } }, required: ["answer"] };
    const system = [{ type: "text" as const, text: QA_SYSTEM, cache_control: { type: "ephemeral" as const } }];
    const ask = () =>
      client.messages.create({
        model: "stubborn-claude",
        max_tokens: 300,
        system,
        messages: [{ role: "user", content: QA_USER }],
        tools: [{ name: "outputs", input_schema: schema }],
        tool_choice: { type: "tool", name: "outputs" },
      });
    const first = await ask();
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content[0]).toMatchObject({ type: "tool_use", name: "outputs", input: { answer: expect.any(Number) } });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    const second = await ask();
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);

    const res = await fetch(`${standIn.baseURL}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-sonnet-4-20250514", max_tokens: 3000, thinking: { type: "enabled", budget_tokens: 1024 }, stream: true, messages: [{ role: "user", content: QA_USER }], system: QA_SYSTEM }),
    });
    const events = (await res.text()).split("\n\n").filter(Boolean).map((e) => e.split("\n")[0]?.slice(7));
    expect(events[0]).toBe("message_start");
    expect(events).toContain("ping");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
    const streamed = client.messages.stream({ model: "claude-sonnet-4-20250514", max_tokens: 3000, thinking: { type: "enabled", budget_tokens: 1024 }, system: QA_SYSTEM, messages: [{ role: "user", content: QA_USER }] });
    const final = await streamed.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  test("max_tokens cuts with stop_reason max_tokens; faults: 429 with retry-after, 529 overloaded, mid-stream error", async () => {
    standIn = await startStandIn({ protocol: "anthropic", models: [{ id: "c", price: { input: "1", output: "5" } }, { id: "busy", fail: { status: 529 } }] });
    const client = anthropic(standIn);
    const cut = await client.messages.create({ model: "c", max_tokens: 2, messages: [{ role: "user", content: "a long question with many words in it" }] });
    expect(cut.stop_reason).toBe("max_tokens");
    await expect(client.messages.create({ model: "busy", max_tokens: 20, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 529, error: { error: { type: "overloaded_error" } } });
    standIn.script(({ index }) => (index === 2 ? { type: "rate-limit", retryAfterSeconds: 7 } : index === 3 ? { type: "stream-error", reply: { content: [{ type: "text", text: "partial answer" }] } } : undefined));
    const limited = await fetch(`${standIn.baseURL}/v1/messages`, {
      method: "POST",
      headers: { "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "c", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    const broken = client.messages.stream({ model: "c", max_tokens: 50, messages: [{ role: "user", content: "x" }] });
    await expect(broken.finalMessage()).rejects.toThrow(/Overloaded/);
  });
});

describe("stand-in as its own process", () => {
  test("stand-in-main serves on the given port and prints where", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", "lib/testing/stand-in-main.ts", "--protocol", "anthropic", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (d: Buffer) => resolve(d.toString()));
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as { ready: boolean; baseURL: string; models: string[] };
      expect(ready.models).toContain("house-claude");
      const list = (await (await fetch(`${ready.baseURL}/v1/models`)).json()) as { data: { id: string }[] };
      expect(list.data.map((m) => m.id)).toEqual(ready.models);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
