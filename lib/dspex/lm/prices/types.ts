// Price data: USD per million tokens per usage kind, as decimal strings (never binary floats).

export interface TokenPrices {
  /** Uncached input tokens. */
  readonly input: string;
  /** Input tokens read from the provider's prompt cache; default: the input price. */
  readonly cachedInput?: string;
  /** Input tokens written to the prompt cache; default: the input price. */
  readonly cacheWrite?: string;
  /** Output tokens that are not reasoning. */
  readonly output: string;
  /** Reasoning (thinking) tokens; default: the output price. */
  readonly reasoning?: string;
}

export interface PriceEntry {
  /** Regular expression a model name must match: source text (case-sensitive) or a RegExp. */
  readonly model: string | RegExp;
  /** Only for this provider (an LM's `provider`, e.g. "openai", "demo"); any provider when absent. */
  readonly provider?: string;
  readonly prices: TokenPrices;
  /** Where the price comes from (a URL, a data set and version, "simulated"). */
  readonly source?: string;
  readonly note?: string;
}

/** Prices of one entry in picodollars per million tokens, every kind filled in. */
export interface Rates {
  readonly input: bigint;
  readonly cachedInput: bigint;
  readonly cacheWrite: bigint;
  readonly output: bigint;
  readonly reasoning: bigint;
}

export interface PriceMatch {
  readonly entry: PriceEntry;
  /** The pattern that matched, as text (e.g. "^dspex-demo"). */
  readonly pattern: string;
  readonly rates: Rates;
  readonly origin: "override" | "builtin" | "seed";
}
