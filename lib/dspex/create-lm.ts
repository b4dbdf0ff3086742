import { createDemoLM, isDemoModel, type DemoLMOptions } from "./demo-lm";
import { LMError } from "./errors";
import { composeLM, createOpenAILM, createPriceTable, withCache, withCostMeter, type CacheOptions, type OpenAILMOptions, type PriceTable } from "./lm";
import { createProvidersLM, resolveModelReference, type ProviderConfig } from "./lm/providers";
import { PROVIDER_NAMES, type ProviderName } from "./lm/profiles";
import type { LM, LMMiddleware } from "./lm/types";

export interface CreateLMOptions extends OpenAILMOptions {
  /** Options for the offline demo model (used when asked for by name, or when nothing is configured). */
  readonly demo?: DemoLMOptions;
  /** Providers to route between by model (`provider/model` references); default: from the options, then the environment. */
  readonly providers?: readonly ProviderConfig[];
  /** Where the standard variables are read; default process.env; false reads none. */
  readonly env?: Readonly<Record<string, string | undefined>> | false;
  /** Prices for the cost meter (default: the seeded table); false leaves costs unset. */
  readonly prices?: PriceTable | false;
  /** Cache replies in memory (true, or the cache's options); default off. */
  readonly cache?: boolean | CacheOptions;
}

let sharedPrices: PriceTable | undefined;

const ENV_HELP =
  'set OPENAI_API_KEY (with OPENAI_BASE_URL for another OpenAI-compatible server), ANTHROPIC_API_KEY, or DSPEX_LM_BASE_URL (with DSPEX_LM_API_KEY, DSPEX_LM_PROVIDER), or pass createLM({ baseURL, apiKey, model }); the offline demo model is createLM({ model: "dspex-demo-1" })';

/** The providers the standard variables describe, in this order: DSPEX_LM_*, OPENAI_*, ANTHROPIC_*. */
export function providersFromEnv(env: Readonly<Record<string, string | undefined>>): ProviderConfig[] {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const providers: ProviderConfig[] = [];
  const dspexURL = value("DSPEX_LM_BASE_URL");
  if (dspexURL !== undefined) {
    const kind = value("DSPEX_LM_PROVIDER") ?? "custom";
    if (!(PROVIDER_NAMES as readonly string[]).includes(kind)) {
      throw new LMError("LM_NOT_CONFIGURED", `DSPEX_LM_PROVIDER is "${kind}"; use one of ${PROVIDER_NAMES.join(", ")}`, { provider: kind });
    }
    providers.push({ name: kind, kind: kind as ProviderName, baseURL: dspexURL, apiKey: value("DSPEX_LM_API_KEY") });
  }
  const openaiKey = value("OPENAI_API_KEY");
  const openaiURL = value("OPENAI_BASE_URL");
  if ((openaiKey !== undefined || openaiURL !== undefined) && !providers.some((p) => p.name === "openai")) {
    // Another server behind OPENAI_BASE_URL may serve any model name.
    providers.push({ name: "openai", kind: openaiURL !== undefined ? "custom" : "openai", baseURL: openaiURL, apiKey: openaiKey });
  }
  const anthropicKey = value("ANTHROPIC_API_KEY");
  if (anthropicKey !== undefined && !providers.some((p) => p.name === "anthropic")) {
    providers.push({ name: "anthropic", kind: "anthropic", apiKey: anthropicKey, baseURL: value("ANTHROPIC_BASE_URL") });
  }
  return providers;
}

function explicitProvider(options: OpenAILMOptions): boolean {
  return options.baseURL !== undefined || options.apiKey !== undefined || options.endpoint !== undefined || (options.provider !== undefined && options.provider !== "custom");
}

/**
 * The LM a configuration asks for. In order: explicit providers; explicit OpenAI-compatible
 * options (baseURL, apiKey, provider); the standard variables (DSPEX_LM_BASE_URL, OPENAI_API_KEY /
 * OPENAI_BASE_URL, ANTHROPIC_API_KEY, with DSPEX_LM_MODEL as the default model). The offline demo
 * model (provider "demo", a simulator) answers only when asked for by name ("dspex-demo-*") or
 * when nothing at all is configured; a model that no configured provider serves is an error naming
 * it and the providers. Every reply carries its cost (from the price table); the cache is opt-in.
 */
export function createLM(options: CreateLMOptions = {}): LM {
  const { demo, prices, cache, providers: given, env: envOption, ...openai } = options;
  const env = envOption === false ? {} : (envOption ?? process.env);
  const model = openai.model ?? (given === undefined && !explicitProvider(openai) ? env.DSPEX_LM_MODEL?.trim() || undefined : undefined);
  let base: LM;
  if (model !== undefined && isDemoModel(model)) base = createDemoLM({ ...demo, defaultModel: model });
  else if (given === undefined && explicitProvider(openai)) base = createOpenAILM(openai);
  else {
    const providers = given ?? providersFromEnv(env);
    if (providers.length === 0) {
      if (model !== undefined) throw new LMError("LM_NOT_CONFIGURED", `createLM: model "${model}" is served by no provider: none is configured; ${ENV_HELP}`, { provider: "none", model });
      base = createDemoLM(demo);
    } else {
      if (model !== undefined) resolveModelReference(providers, model);
      base = createProvidersLM(providers, { defaultModel: model });
    }
  }
  const layers: LMMiddleware[] = [];
  if (cache) layers.push(withCache(cache === true ? {} : cache));
  if (prices !== false) layers.push(withCostMeter({ prices: prices ?? (sharedPrices ??= createPriceTable()) }));
  return composeLM(base, ...layers);
}

export { isDemoLM } from "./lm/types";
