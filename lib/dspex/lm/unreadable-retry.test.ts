import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../../testing";
import type { StandIn } from "../../testing";
import { createAnthropicLM } from "./anthropic-lm";
import { createOpenAILM } from "./openai-lm";
import type { LM } from "./types";

let openai: StandIn;
let anthropic: StandIn;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([
    startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai }),
    startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic }),
  ]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));

const ask = { messages: [{ role: "user" as const, content: "hi" }] };
const clients: [string, () => StandIn, (maxRetries: number) => LM][] = [
  ["openai", () => openai, (maxRetries) => createOpenAILM({ baseURL: openai.baseURL, model: "gpt-4o-mini", provider: "custom", maxRetries })],
  ["anthropic", () => anthropic, (maxRetries) => createAnthropicLM({ baseURL: anthropic.baseURL, apiKey: "k", model: "claude-3-5-haiku-20241022", maxRetries })],
];

describe.each(clients)("%s client: malformed bodies", (_name, server, lmWith) => {
  it("are retried like transient faults, and the response counts the retry", async () => {
    server().reset();
    server().script(({ index }) => (index === 0 ? { type: "malformed" } : undefined));
    const response = await lmWith(2).complete(ask);
    expect(response.text.length).toBeGreaterThan(0);
    expect(response.retries).toBe(1);
    expect(server().requestCount).toBe(2);
  });

  it("fail as LM_BAD_RESPONSE after maxRetries, with the retries made recorded on the error", async () => {
    server().reset();
    server().script(() => ({ type: "malformed" }));
    await expect(lmWith(1).complete(ask)).rejects.toMatchObject({ code: "LM_BAD_RESPONSE", details: { retries: 1 } });
    expect(server().requestCount).toBe(2);
    server().script(undefined);
  });
});
