import { createDemoLM, type DemoLMOptions } from "./demo-lm";
import { createOpenAILM, type OpenAILMOptions } from "./lm";
import type { LM } from "./lm/types";

export interface CreateLMOptions extends OpenAILMOptions {
  /** Options for the offline demo model, used when no provider is configured. */
  readonly demo?: DemoLMOptions;
}

/**
 * The LM a configuration asks for: an OpenAI-compatible provider when a base URL, an API key or
 * a provider is given; otherwise the offline demo model (a simulator, provider "demo").
 */
export function createLM(options: CreateLMOptions = {}): LM {
  const { demo, ...provider } = options;
  const configured = provider.baseURL !== undefined || provider.apiKey !== undefined || provider.endpoint !== undefined || (provider.provider !== undefined && provider.provider !== "custom");
  return configured ? createOpenAILM(provider) : createDemoLM(demo);
}

export function isDemoLM(lm: LM): boolean {
  return lm.provider === "demo";
}
