// withCostMeter: sets costUsd on every response from the price table (0 for cache hits, undefined
// when the model has no price) and reports each cost; CostMeter totals exact picodollars overall
// and per model. A model without a price is "price unknown" (usd null), never $0.

import { computeCost, picoToUsd, UNPRICED } from "./prices";
import type { CostResult, PriceMatch, PriceTable } from "./prices";
import { addUsage, EMPTY_USAGE } from "./types";
import type { LM, LMMiddleware, LMResponse, LMStreamEvent, Usage } from "./types";

export interface CostEvent {
  /** The response as returned (costUsd set unless unpriced). */
  readonly response: LMResponse;
  readonly cost: CostResult;
}

export interface ModelCost {
  readonly model: string;
  readonly provider: string;
  /** Picodollars of the priced calls. */
  readonly picoUsd: bigint;
  /** Dollars, or null when a call of this model had no known price. */
  readonly usd: number | null;
  readonly calls: number;
  readonly cacheHits: number;
  /** Calls whose model had no price (not included in the money). */
  readonly unpricedCalls: number;
  readonly usage: Usage;
}

export interface CostMeter {
  add(event: CostEvent): void;
  /** Picodollars of the priced calls. */
  readonly totalPicoUsd: bigint;
  /** Dollars, or null when some call's price is unknown (see pricedUsd and unpricedModels). */
  readonly totalUsd: number | null;
  /** Dollars of the calls whose price is known. */
  readonly pricedUsd: number;
  /** Models called without a known price; set a price override for each (or mark it free with a zero price). */
  readonly unpricedModels: readonly string[];
  readonly calls: number;
  readonly unpricedCalls: number;
  /** Totals per model (keyed by model name), as a snapshot. */
  byModel(): ReadonlyMap<string, ModelCost>;
  reset(): void;
}

export interface CostMeterOptions {
  readonly prices: PriceTable;
  /** Called for every response, priced or not (check cost.priced). */
  readonly onCost?: (event: CostEvent) => void;
  /** Accumulates every cost (see createCostMeter). */
  readonly meter?: CostMeter;
}

export function createCostMeter(): CostMeter {
  const models = new Map<string, ModelCost>();
  let total = 0n;
  let calls = 0;
  let unpriced = 0;
  return {
    add({ response, cost }) {
      total += cost.picoUsd;
      calls++;
      if (!cost.priced) unpriced++;
      const before = models.get(response.model);
      const picoUsd = (before?.picoUsd ?? 0n) + cost.picoUsd;
      const unpricedCalls = (before?.unpricedCalls ?? 0) + (cost.priced ? 0 : 1);
      models.set(response.model, {
        model: response.model,
        provider: response.provider,
        picoUsd,
        usd: unpricedCalls > 0 ? null : picoToUsd(picoUsd),
        calls: (before?.calls ?? 0) + 1,
        cacheHits: (before?.cacheHits ?? 0) + (response.cacheHit ? 1 : 0),
        unpricedCalls,
        usage: addUsage(before?.usage ?? EMPTY_USAGE, response.cacheHit ? EMPTY_USAGE : response.usage),
      });
    },
    get totalPicoUsd() {
      return total;
    },
    get totalUsd() {
      return unpriced > 0 ? null : picoToUsd(total);
    },
    get pricedUsd() {
      return picoToUsd(total);
    },
    get unpricedModels() {
      return [...models.values()].filter((m) => m.unpricedCalls > 0).map((m) => m.model);
    },
    get calls() {
      return calls;
    },
    get unpricedCalls() {
      return unpriced;
    },
    byModel: () => new Map(models),
    reset() {
      models.clear();
      total = 0n;
      calls = 0;
      unpriced = 0;
    },
  };
}

function freeCost(match: PriceMatch | undefined): CostResult {
  return match === undefined ? UNPRICED : { ...computeCost(EMPTY_USAGE, match), priced: true };
}

export function withCostMeter(options: CostMeterOptions): LMMiddleware {
  const { prices, onCost, meter } = options;

  function price(response: LMResponse): LMResponse {
    const match = prices.lookup(response.model, response.provider);
    const cost = response.cacheHit ? freeCost(match) : computeCost(response.usage, match);
    const priced = response.cacheHit ? { ...response, costUsd: 0 } : cost.priced ? { ...response, costUsd: cost.usd } : response;
    const event = { response: priced, cost };
    meter?.add(event);
    onCost?.(event);
    return priced;
  }

  return (inner: LM): LM => {
    const lm: LM = {
      provider: inner.provider,
      defaultModel: inner.defaultModel,
      async complete(request, callOptions) {
        const response = await inner.complete(request, callOptions);
        if (!prices.loaded) await prices.ready();
        return price(response);
      },
    };
    const innerStream = inner.stream?.bind(inner);
    if (innerStream !== undefined) {
      lm.stream = async function* (request, callOptions): AsyncGenerator<LMStreamEvent> {
        for await (const event of innerStream(request, callOptions)) {
          if (event.type !== "done") yield event;
          else {
            if (!prices.loaded) await prices.ready();
            yield { type: "done", response: price(event.response) };
          }
        }
      };
    }
    return lm;
  };
}
