// Prices DSPEx ships itself, consulted after overrides and before the genai-prices seed.

import type { PriceEntry } from "./types";

/** The offline demo model: a simulated price, so demos show realistic costs without spending money. */
export const DEMO_MODEL_PRICE: PriceEntry = Object.freeze({
  model: "^dspex-demo",
  provider: "demo",
  prices: Object.freeze({ input: "0.15", cachedInput: "0.075", output: "0.60" }),
  source: "simulated",
  note: "Simulated price for the offline demo model (modelled on a small hosted model); no money is spent.",
});

/** The demo model's small and large variants, priced apart so "which model" is a cost choice too. */
export const DEMO_MINI_PRICE: PriceEntry = Object.freeze({
  model: "^dspex-demo-mini",
  provider: "demo",
  prices: Object.freeze({ input: "0.05", cachedInput: "0.025", output: "0.20" }),
  source: "simulated",
  note: "Simulated price for dspex-demo-mini; no money is spent.",
});

export const DEMO_LARGE_PRICE: PriceEntry = Object.freeze({
  model: "^dspex-demo-large",
  provider: "demo",
  prices: Object.freeze({ input: "1.25", cachedInput: "0.625", output: "5.00" }),
  source: "simulated",
  note: "Simulated price for dspex-demo-large; no money is spent.",
});

// First match wins: the variants before the family entry.
export const BUILTIN_PRICES: readonly PriceEntry[] = Object.freeze([DEMO_MINI_PRICE, DEMO_LARGE_PRICE, DEMO_MODEL_PRICE]);
