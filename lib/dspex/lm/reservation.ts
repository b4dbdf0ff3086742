// The most one call can cost, before it is made: its prompt's tokens counted (messages, tool
// schemas and the response schema, with a margin for tokenizers other than o200k) plus its output
// cap, at the model's price. Budgets reserve this and
// release the difference when the real cost is known. Null money when the model has no price.

import { computeCost } from "./prices/cost";
import type { PriceTable } from "./prices/price-table";
import { countTokens, estimateUsage } from "./token-estimate";
import type { LMRequest } from "./types";

export interface ReservationBound {
  readonly model: string;
  readonly inputTokens: number;
  /** The output cap for every choice together. */
  readonly outputTokens: number;
  /** Null when the model has no known price (a money budget must refuse the call). */
  readonly picoUsd: bigint | null;
  readonly usd: number | null;
}

export interface ReservationOptions {
  readonly prices: PriceTable;
  /** The model when the request names none. */
  readonly model?: string;
  readonly provider?: string;
  /** The output cap when the request sets no maxTokens; default 4096. */
  readonly defaultOutputCap?: number;
  /** Multiplies the counted prompt tokens (other providers' tokenizers count more); default 1.1. */
  readonly inputMargin?: number;
}

export async function reservationBound(request: LMRequest, options: ReservationOptions): Promise<ReservationBound> {
  const model = request.model ?? options.model ?? "unknown";
  const counted = (await estimateUsage(request.messages, [])).inputTokens + (await schemaTokens(request));
  const inputTokens = Math.ceil(counted * (options.inputMargin ?? 1.1));
  const outputTokens = (request.maxTokens ?? options.defaultOutputCap ?? 4096) * Math.max(1, request.n ?? 1);
  if (!options.prices.loaded) await options.prices.ready();
  const match = options.prices.lookup(model, options.provider);
  if (match === undefined) return { model, inputTokens, outputTokens, picoUsd: null, usd: null };
  // Each side at its dearest rate: whether the prompt is written to a cache and how much of the
  // output is reasoning are unknown before the call.
  const reasoningDearer = match.rates.reasoning > match.rates.output;
  const writeDearer = match.rates.cacheWrite > match.rates.input;
  const cost = computeCost(
    { inputTokens, cachedInputTokens: 0, cacheWriteTokens: writeDearer ? inputTokens : 0, outputTokens, reasoningTokens: reasoningDearer ? outputTokens : 0 },
    match,
  );
  return { model, inputTokens, outputTokens, picoUsd: cost.picoUsd, usd: cost.usd };
}

/** Tokens of the tool and response schemas a request sends besides its messages. */
async function schemaTokens(request: LMRequest): Promise<number> {
  let tokens = 0;
  if (request.tools !== undefined && request.tools.length > 0) tokens += await countTokens(JSON.stringify(request.tools));
  if (request.responseFormat?.type === "json_schema") tokens += await countTokens(JSON.stringify(request.responseFormat.schema));
  return tokens;
}
