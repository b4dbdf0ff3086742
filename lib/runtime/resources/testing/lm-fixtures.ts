// Fixtures for tests and benchmarks: the real OpenAI client pointed at the local test server, with
// the client's own retries off (the resource layer retries), and a price table for test models.
import { createOpenAILM, createPriceTable } from "../../../dspex";
import type { LM, LMRequest, PriceTable } from "../../../dspex";
import type { OpenAIServer } from "../../../dspex/testing";

export function clientFor(server: OpenAIServer, options: { model?: string; providerName?: string; timeoutMs?: number } = {}): LM {
  return createOpenAILM({
    apiKey: "test-key",
    baseURL: server.baseURL,
    model: options.model ?? "test-model",
    maxRetries: 0,
    ...(options.providerName !== undefined && { providerName: options.providerName }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
}

/** $1 per million input tokens, $2 per million output tokens, for models named test-*. */
export function testPrices(): PriceTable {
  return createPriceTable({ seed: false, overrides: [{ model: "^test-", prices: { input: "1", output: "2" } }] });
}

export function ask(text: string, over: Partial<LMRequest> = {}): LMRequest {
  return { messages: [{ role: "user", content: text }], ...over };
}
