import type { PriceTable } from "../../lm";
import type { LM } from "../../lm/types";

/**
 * The strongest of some models, taken to be the one with the highest price per token (input and
 * output of a typical call); undefined when fewer than two are priced. A heuristic: say which
 * model teaches with the `teacher` option when price does not follow strength.
 */
export async function strongestModel(models: readonly string[], prices: PriceTable, provider?: string): Promise<string | undefined> {
  await prices.ready();
  const priced = models
    .map((model) => ({ model, cost: prices.cost({ inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1000, reasoningTokens: 0 }, model, provider) }))
    .filter((m) => m.cost.priced);
  if (priced.length < 2) return undefined;
  return priced.reduce((best, m) => (m.cost.usd > best.cost.usd ? m : best)).model;
}

/** The LM with a default model: requests that name none go to `model` (the optimizer's own prompts). */
export function withDefaultModel(lm: LM, model: string | undefined): LM {
  if (!model) return lm;
  return {
    ...lm,
    provider: lm.provider,
    defaultModel: model,
    complete: (request, options) => lm.complete(request.model ? request : { ...request, model }, options),
    ...(lm.stream ? { stream: (request, options) => lm.stream!(request.model ? request : { ...request, model }, options) } : {}),
  };
}
