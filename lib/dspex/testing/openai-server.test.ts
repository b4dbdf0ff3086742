import { afterEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from ".";
import type { OpenAIServer } from ".";

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("startOpenAIServer", () => {
  test("answers chat completions on 127.0.0.1 with an echo by default and records the request", async () => {
    server = await startOpenAIServer();
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await post(`${server.baseURL}/chat/completions`, { model: "m1", messages: [{ role: "user", content: "hi" }] });
    const json = (await res.json()) as { model: string; choices: { message: { content: string }; finish_reason: string }[]; usage: { prompt_tokens: number } };
    expect(json.model).toBe("m1");
    expect(json.choices[0]?.message.content).toBe("echo: hi");
    expect(json.choices[0]?.finish_reason).toBe("stop");
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
    expect(server.requestCount).toBe(1);
    expect(server.requests[0]?.body.model).toBe("m1");
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
  });

  test("lists models", async () => {
    server = await startOpenAIServer({ models: ["a", "b"] });
    const json = (await (await fetch(`${server.baseURL}/models`)).json()) as { data: { id: string }[] };
    expect(json.data.map((m) => m.id)).toEqual(["a", "b"]);
  });

  test("streams SSE chunks and sends usage only when stream_options.include_usage asks", async () => {
    server = await startOpenAIServer({ respond: () => ({ text: "one two", usage: { promptTokens: 7, completionTokens: 2, cachedTokens: 3 } }) });
    const read = async (body: unknown) => (await (await post(`${server!.baseURL}/chat/completions`, body)).text()).split("\n\n").filter(Boolean);
    const withUsage = await read({ model: "m", messages: [], stream: true, stream_options: { include_usage: true } });
    expect(withUsage.at(-1)).toBe("data: [DONE]");
    const usageEvent = JSON.parse(withUsage.at(-2)!.slice(6)) as { choices: unknown[]; usage: { prompt_tokens_details: { cached_tokens: number } } };
    expect(usageEvent.choices).toEqual([]);
    expect(usageEvent.usage.prompt_tokens_details.cached_tokens).toBe(3);
    const texts = withUsage
      .slice(0, -1)
      .map((e) => JSON.parse(e.slice(6)) as { choices: { delta: { content?: string } }[] })
      .map((c) => c.choices[0]?.delta.content ?? "")
      .join("");
    expect(texts).toBe("one two");
    const withoutUsage = await read({ model: "m", messages: [], stream: true });
    expect(withoutUsage.some((e) => e.includes('"usage"'))).toBe(false);
  });

  test("renders faults: 429 with Retry-After, errors, malformed bodies", async () => {
    const replies = [
      { type: "rate-limit", retryAfterSeconds: 2 },
      { type: "error", status: 503 },
      { type: "malformed" },
    ] as const;
    server = await startOpenAIServer({ respond: (r) => replies[r.index]! });
    const first = await post(`${server.baseURL}/chat/completions`, { messages: [] });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect((await post(`${server.baseURL}/chat/completions`, { messages: [] })).status).toBe(503);
    const malformed = await post(`${server.baseURL}/chat/completions`, { messages: [] });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
  });

  test("a hung request holds until close; reset drops the connection", async () => {
    server = await startOpenAIServer({ respond: (r) => (r.index === 0 ? { type: "hang" } : { type: "reset" }) });
    const hung = post(`${server.baseURL}/chat/completions`, { messages: [] }).then(
      () => "answered",
      () => "dropped",
    );
    await expect(post(`${server.baseURL}/chat/completions`, { messages: [] })).rejects.toThrow();
    await server.close();
    server = undefined;
    expect(await hung).toBe("dropped");
  });

  test("respondWith swaps the hook; reset forgets requests; recording can be off", async () => {
    server = await startOpenAIServer({ record: false });
    server.respondWith(() => ({ text: "swapped" }));
    const json = (await (await post(`${server.baseURL}/chat/completions`, { messages: [] })).json()) as { choices: { message: { content: string } }[] };
    expect(json.choices[0]?.message.content).toBe("swapped");
    expect(server.requests).toHaveLength(0);
    expect(server.requestCount).toBe(1);
    server.reset();
    expect(server.requestCount).toBe(0);
  });
});
