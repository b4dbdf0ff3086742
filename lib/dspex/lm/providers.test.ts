import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../../testing";
import type { StandIn } from "../../testing";
import { createProvidersLM, resolveModelReference } from "./providers";
import type { ProviderConfig } from "./providers";

let openai: StandIn;
let anthropic: StandIn;
let gateway: StandIn;
let providers: ProviderConfig[];
beforeAll(async () => {
  [openai, anthropic, gateway] = await Promise.all([
    startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-o" }),
    startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, apiKey: "sk-a" }),
    startStandIn({ protocol: "openai", models: [{ id: "openai/gpt-4o-mini" }, { id: "anthropic/claude-3-5-haiku" }], apiKey: "sk-g" }),
  ]);
  providers = [
    { name: "openai", kind: "openai", baseURL: openai.baseURL, apiKey: "sk-o", maxRetries: 0 },
    { name: "anthropic", kind: "anthropic", baseURL: anthropic.baseURL, apiKey: "sk-a", maxRetries: 0, models: DEFAULT_STAND_IN_MODELS.anthropic.map((m) => m.id) },
    { name: "gateway", kind: "openrouter", baseURL: gateway.baseURL, apiKey: "sk-g", maxRetries: 0, models: ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"] },
  ];
});
afterAll(() => Promise.all([openai.close(), anthropic.close(), gateway.close()]));

const ask = { messages: [{ role: "user" as const, content: "hello" }] };

describe("providers and provider/model references", () => {
  test("each model goes to the provider that serves it, through its own protocol", async () => {
    const lm = createProvidersLM(providers);
    const a = await lm.complete({ ...ask, model: "gpt-4o-mini" });
    const b = await lm.complete({ ...ask, model: "anthropic/claude-3-5-haiku-20241022" });
    const c = await lm.complete({ ...ask, model: "house-claude" });
    const d = await lm.complete({ ...ask, model: "gateway/anthropic/claude-3-5-haiku" });
    expect([a.provider, b.provider, c.provider, d.provider]).toEqual(["openai", "anthropic", "anthropic", "gateway"]);
    expect(openai.requests.map((r) => r.model)).toEqual(["gpt-4o-mini"]);
    expect(anthropic.requests.map((r) => r.model)).toEqual(["claude-3-5-haiku-20241022", "house-claude"]);
    expect(gateway.requests.map((r) => r.model)).toEqual(["anthropic/claude-3-5-haiku"]);
  });

  test("a prefix that is not a provider's name is part of the model (gateway names)", () => {
    expect(resolveModelReference(providers.slice(1), "openai/gpt-4o-mini")).toMatchObject({ provider: { name: "gateway" }, model: "openai/gpt-4o-mini" });
    expect(resolveModelReference(providers, "openai/gpt-4o-mini")).toMatchObject({ provider: { name: "openai" }, model: "gpt-4o-mini" });
  });

  test("a model no provider serves is an error naming the model and the providers", async () => {
    const lm = createProvidersLM(providers.filter((p) => p.name !== "gateway"));
    await expect(lm.complete({ ...ask, model: "llama3.1:8b" })).rejects.toMatchObject({
      code: "LM_NOT_CONFIGURED",
      message: expect.stringMatching(/"llama3\.1:8b".*openai \(openai models\).*anthropic \(claude-3-5-haiku/),
    });
    expect(() => createProvidersLM([...providers, { name: "openai", kind: "openai" }])).toThrow(/used twice/);
  });
});
