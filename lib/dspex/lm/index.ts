// The LM layer: the LM interface and its middleware, the OpenAI-compatible client, the model
// router, the response cache, prices and the cost meter.
export { addUsage, composeLM, EMPTY_USAGE } from "./types";
export type {
  ChatMessage,
  FinishReason,
  JsonSchema,
  LM,
  LMCallOptions,
  LMCallPriority,
  LMMiddleware,
  LMRequest,
  LMResponse,
  LMSettings,
  LMStreamEvent,
  ReasoningEffort,
  ResponseFormat,
  Role,
  ToolCall,
  ToolSpec,
  Usage,
} from "./types";
export { createOpenAILM } from "./openai-lm";
export type { OpenAILMOptions } from "./openai-lm";
export { createAnthropicLM, DEFAULT_ANTHROPIC_BASE_URL } from "./anthropic-lm";
export type { AnthropicLMOptions } from "./anthropic-lm";
export { createProviderClient, createProvidersLM, resolveModelReference } from "./providers";
export type { ProviderConfig, ProvidersLM, ProvidersLMOptions, ResolvedModel } from "./providers";
export { getProviderProfile, PROVIDER_NAMES, resolveProviderProfile } from "./profiles";
export type { ProviderName, ProviderProfile } from "./profiles";
export { readUsage } from "./openai-usage";
export { countTokens, estimateUsage } from "./token-estimate";
export { routeLM } from "./router";
export type { Route } from "./router";
export { withCache } from "./cache";
export type { CacheMiddleware, CacheOptions, CacheStats, CacheStore } from "./cache";
export { canonicalJson, cacheKey } from "./cache-key";
export { createCostMeter, withCostMeter } from "./cost-meter";
export { reservationBound } from "./reservation";
export type { ReservationBound, ReservationOptions } from "./reservation";
export type { CostEvent, CostMeter, CostMeterOptions, ModelCost } from "./cost-meter";
export {
  BUILTIN_PRICES,
  computeCost,
  createPriceTable,
  decimalFromNumber,
  DEMO_MODEL_PRICE,
  divRound,
  formatUsd,
  loadSeedPrices,
  matchRuleToRegExp,
  parseDecimal,
  PICO_PER_USD,
  picoToUsd,
  UNPRICED,
  usdToPico,
} from "./prices";
export type {
  CostBreakdown,
  CostResult,
  PriceEntry,
  PriceMatch,
  PriceTable,
  PriceTableOptions,
  Rates,
  SeedOptions,
  SeedPrices,
  SeedProvider,
  TokenPrices,
} from "./prices";
