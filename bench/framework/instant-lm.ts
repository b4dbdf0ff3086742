import { EMPTY_USAGE, type LM, type LMResponse } from "../../lib/dspex";

/** An LM that answers at once with a prebuilt reply: what is left to time is the framework. */
export function instantLM(text: string): LM {
  const response: LMResponse = {
    text,
    finishReason: "stop",
    usage: { ...EMPTY_USAGE, inputTokens: 120, outputTokens: 12 },
    provider: "bench",
    model: "gpt-4o-mini",
    cacheHit: false,
    latencyMs: 0,
    retries: 0,
  };
  return { provider: "bench", defaultModel: "gpt-4o-mini", complete: async () => response };
}
