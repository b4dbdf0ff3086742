import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer } from "../testing";
import { createOpenAILM, routeLM } from ".";
import type { LMStreamEvent } from ".";

let openai: OpenAIServer;
let local: OpenAIServer;
beforeAll(async () => {
  openai = await startOpenAIServer({ respond: () => ({ text: "from openai" }) });
  local = await startOpenAIServer({ respond: () => ({ text: "from ollama" }) });
});
afterAll(async () => {
  await openai.close();
  await local.close();
});

const ask = (model?: string) => ({ messages: [{ role: "user" as const, content: "hi" }], ...(model !== undefined && { model }) });

describe("routeLM", () => {
  test("sends each request to the LM whose pattern matches its model", async () => {
    const gpt = createOpenAILM({ apiKey: "k", baseURL: openai.baseURL });
    const llama = createOpenAILM({ provider: "ollama", baseURL: local.baseURL });
    const lm = routeLM([
      { model: "gpt-*", lm: gpt },
      { model: /^(llama|qwen)/, lm: llama },
    ]);
    const a = await lm.complete(ask("gpt-4o-mini"));
    const b = await lm.complete(ask("llama3.1:8b"));
    expect([a.text, a.provider]).toEqual(["from openai", "openai"]);
    expect([b.text, b.provider]).toEqual(["from ollama", "ollama"]);
    expect(local.requests.at(-1)!.body.model).toBe("llama3.1:8b");
  });

  test("an unknown model is LM_NOT_CONFIGURED naming the model and the patterns", async () => {
    const lm = routeLM({ "gpt-4o": createOpenAILM({ apiKey: "k", baseURL: openai.baseURL }) });
    await expect(lm.complete(ask("claude-sonnet-4-5"))).rejects.toMatchObject({
      code: "LM_NOT_CONFIGURED",
      message: expect.stringContaining('no route for model "claude-sonnet-4-5"; configured patterns: "gpt-4o"'),
    });
    // exact names do not match as prefixes
    await expect(lm.complete(ask("gpt-4o-mini"))).rejects.toMatchObject({ code: "LM_NOT_CONFIGURED" });
  });

  test("unmatched and model-less requests go to the fallback when there is one", async () => {
    const fallback = createOpenAILM({ provider: "ollama", baseURL: local.baseURL, model: "llama3" });
    const lm = routeLM([{ model: "gpt-*", lm: createOpenAILM({ apiKey: "k", baseURL: openai.baseURL }) }], fallback);
    expect((await lm.complete(ask("mistral"))).text).toBe("from ollama");
    expect((await lm.complete(ask())).text).toBe("from ollama");
    expect(lm.defaultModel).toBe("llama3");
  });

  test("streams through the chosen LM", async () => {
    const lm = routeLM([{ model: "gpt-*", lm: createOpenAILM({ apiKey: "k", baseURL: openai.baseURL }) }]);
    const events: LMStreamEvent[] = [];
    for await (const e of lm.stream!(ask("gpt-4o"))) events.push(e);
    expect(events.filter((e) => e.type === "text").map((e) => (e as { delta: string }).delta).join("")).toBe("from openai");
    expect(events.at(-1)!.type).toBe("done");
  });
});
