import { createDemoLM, type DemoLMOptions } from "./demo-lm";
import { composeLM, createOpenAILM, createPriceTable, withCache, withCostMeter, type CacheOptions, type OpenAILMOptions, type PriceTable } from "./lm";
import type { LM, LMMiddleware } from "./lm/types";

export interface CreateLMOptions extends OpenAILMOptions {
  /** Options for the offline demo model, used when no provider is configured. */
  readonly demo?: DemoLMOptions;
  /** Prices for the cost meter (default: the seeded table); false leaves costs unset. */
  readonly prices?: PriceTable | false;
  /** Cache replies in memory (true, or the cache's options); default off. */
  readonly cache?: boolean | CacheOptions;
}

let sharedPrices: PriceTable | undefined;

/**
 * The LM a configuration asks for: an OpenAI-compatible provider when a base URL, an API key or
 * a provider is given; otherwise the offline demo model (a simulator, provider "demo"). Every
 * reply carries its cost (from the price table); the cache is opt-in.
 */
export function createLM(options: CreateLMOptions = {}): LM {
  const { demo, prices, cache, ...provider } = options;
  const configured =
    provider.baseURL !== undefined || provider.apiKey !== undefined || provider.endpoint !== undefined || (provider.provider !== undefined && provider.provider !== "custom");
  const base = configured ? createOpenAILM(provider) : createDemoLM(demo);
  const layers: LMMiddleware[] = [];
  if (cache) layers.push(withCache(cache === true ? {} : cache));
  if (prices !== false) layers.push(withCostMeter({ prices: prices ?? (sharedPrices ??= createPriceTable()) }));
  return composeLM(base, ...layers);
}

export function isDemoLM(lm: LM): boolean {
  return lm.provider === "demo";
}
