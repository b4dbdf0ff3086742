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

export const BUILTIN_PRICES: readonly PriceEntry[] = Object.freeze([DEMO_MODEL_PRICE]);
