export { BUILTIN_PRICES, DEMO_MODEL_PRICE } from "./builtin-prices";
export { computeCost, UNPRICED } from "./cost";
export type { CostBreakdown, CostResult } from "./cost";
export { decimalFromNumber, divRound, formatUsd, parseDecimal, PICO_PER_USD, picoToUsd, usdToPico } from "./money";
export { createPriceTable } from "./price-table";
export type { PriceTable, PriceTableOptions } from "./price-table";
export { loadSeedPrices, matchRuleToRegExp } from "./seed-prices";
export type { SeedOptions, SeedPrices, SeedProvider } from "./seed-prices";
export type { PriceEntry, PriceMatch, Rates, TokenPrices } from "./types";
