// Exact cost of one call: usage kinds as partitions of the input and output totals, each priced in
// integer picodollars.

import type { Usage } from "../types";
import { divRound, picoToUsd } from "./money";
import type { PriceEntry, PriceMatch } from "./types";

/** Picodollars per usage kind (each kind a partition: input here means uncached input). */
export interface CostBreakdown {
  readonly input: bigint;
  readonly cachedInput: bigint;
  readonly cacheWrite: bigint;
  readonly output: bigint;
  readonly reasoning: bigint;
}

export interface CostResult {
  /** Dollars as a number (for display and LMResponse.costUsd); exact value in picoUsd. */
  readonly usd: number;
  readonly picoUsd: bigint;
  readonly breakdown: CostBreakdown;
  /** False when no price matched the model: usd and picoUsd are then 0. */
  readonly priced: boolean;
  /** The model pattern of the price entry used. */
  readonly modelPattern?: string;
  readonly entry?: PriceEntry;
}

const MILLION = 1_000_000n;
const ZERO: CostBreakdown = Object.freeze({ input: 0n, cachedInput: 0n, cacheWrite: 0n, output: 0n, reasoning: 0n });

export const UNPRICED: CostResult = Object.freeze({ usd: 0, picoUsd: 0n, breakdown: ZERO, priced: false });

function tokens(n: number): bigint {
  return n > 0 ? BigInt(Math.round(n)) : 0n;
}

/**
 * uncached input = input - cached - cacheWrite; non-reasoning output = output - reasoning. Each kind
 * costs tokens x (picodollars per million) / 1e6, exact for prices with up to 6 decimal places and
 * rounded half up to the picodollar beyond that.
 */
export function computeCost(usage: Usage, match: PriceMatch | undefined): CostResult {
  if (match === undefined) return UNPRICED;
  const r = match.rates;
  const cached = tokens(usage.cachedInputTokens);
  const write = tokens(usage.cacheWriteTokens);
  const reasoning = tokens(usage.reasoningTokens);
  const uncached = tokens(usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const plainOutput = tokens(usage.outputTokens - usage.reasoningTokens);
  const breakdown: CostBreakdown = {
    input: divRound(uncached * r.input, MILLION),
    cachedInput: divRound(cached * r.cachedInput, MILLION),
    cacheWrite: divRound(write * r.cacheWrite, MILLION),
    output: divRound(plainOutput * r.output, MILLION),
    reasoning: divRound(reasoning * r.reasoning, MILLION),
  };
  const pico = breakdown.input + breakdown.cachedInput + breakdown.cacheWrite + breakdown.output + breakdown.reasoning;
  return { usd: picoToUsd(pico), picoUsd: pico, breakdown, priced: true, modelPattern: match.pattern, entry: match.entry };
}
