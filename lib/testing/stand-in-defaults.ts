// The models a stand-in serves when no configuration names others: priced models under real
// names (so provider-prefixed and gateway names resolve), one model with no price, and one that
// ignores the adapter's markers. Prices are the providers' list prices (USD per million tokens).

import type { StandInModel, StandInProtocol } from "./stand-in";

export const DEFAULT_STAND_IN_MODELS: Readonly<Record<StandInProtocol, readonly StandInModel[]>> = {
  openai: [
    { id: "gpt-4o-mini", price: { input: "0.15", output: "0.6", cacheRead: "0.075" } },
    { id: "gpt-4.1-nano", price: { input: "0.1", output: "0.4", cacheRead: "0.025" }, brain: "dspex-demo-mini" },
    { id: "o4-mini", price: { input: "1.1", output: "4.4", cacheRead: "0.275" }, reasoning: true, brain: "dspex-demo-large" },
    { id: "house-model" },
    { id: "stubborn-model", price: { input: "0.2", output: "0.8" }, behaviour: "ignores-markers" },
  ],
  anthropic: [
    { id: "claude-3-5-haiku-20241022", price: { input: "0.8", output: "4", cacheWrite: "1", cacheRead: "0.08" } },
    { id: "claude-sonnet-4-20250514", price: { input: "3", output: "15", cacheWrite: "3.75", cacheRead: "0.3" }, reasoning: true, brain: "dspex-demo-large" },
    { id: "house-claude" },
    { id: "stubborn-claude", price: { input: "1", output: "5" }, behaviour: "ignores-markers" },
  ],
};
