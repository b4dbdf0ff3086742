import { describe, expect, test } from "vitest";
import { getProviderProfile, PROVIDER_NAMES, resolveProviderProfile } from ".";
import type { ProviderName } from ".";

describe("provider profiles", () => {
  test("every provider of the brief has a profile; hosted ones have a default URL and need a key", () => {
    expect([...PROVIDER_NAMES].sort()).toEqual(
      ["anthropic", "azure", "custom", "gemini", "groq", "lmstudio", "ollama", "openai", "openrouter", "together", "vllm"].sort(),
    );
    for (const name of ["openai", "openrouter", "groq", "together", "anthropic", "gemini"] as const) {
      expect(getProviderProfile(name).needsApiKey).toBe(true);
      expect(getProviderProfile(name).baseURL).toMatch(/^https:\/\//);
    }
    for (const name of ["ollama", "vllm", "lmstudio"] as const) expect(getProviderProfile(name).baseURL).toMatch(/^http:\/\/localhost:\d+\/v1$/);
    expect(getProviderProfile("anthropic").baseURL).toBe("https://api.anthropic.com/v1/");
    expect(getProviderProfile("gemini").baseURL).toBe("https://generativelanguage.googleapis.com/v1beta/openai/");
  });

  test("OpenAI's reasoning-model rule covers o1/o3/o4-mini/gpt-5 but not gpt-4o or gpt-5-chat", () => {
    const rule = getProviderProfile("openai").reasoningModels!;
    for (const m of ["o1", "o1-2024-12-17", "o3-mini", "o3", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1"]) expect(rule.test(m)).toBe(true);
    for (const m of ["gpt-4o", "gpt-4o-mini", "gpt-5-chat-latest", "gpt-4.1", "o1x"]) expect(rule.test(m)).toBe(false);
  });

  test("an unknown provider is refused with the list of known ones; overrides replace flags", () => {
    expect(() => getProviderProfile("mistral" as ProviderName)).toThrow(/provider "mistral" is unknown; use one of openai, azure/);
    const p = resolveProviderProfile("vllm", { multipleChoices: false });
    expect(p.multipleChoices).toBe(false);
    expect(p.name).toBe("vllm");
    expect(getProviderProfile("vllm").multipleChoices).toBe(true);
  });
});
