// What a call will use before it is made: prompt tokens counted with the tokenizer (messages, tool
// schemas, response format) and the output it may produce (maxTokens, or a default, per choice).
// Rate limits reserve these tokens and budgets price them; both reconcile with the real usage.

import { estimateUsage, countTokens } from "../../dspex";
import type { LMRequest, Usage } from "../../dspex";

/** Output tokens assumed per choice when a request sets no maxTokens. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

export interface TokenEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
}

export async function estimateRequestTokens(request: LMRequest, defaultMaxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS): Promise<TokenEstimate> {
  const prompt = await estimateUsage(request.messages, []);
  let extra = 0;
  if (request.tools !== undefined && request.tools.length > 0) extra += await countTokens(JSON.stringify(request.tools));
  if (request.responseFormat?.type === "json_schema") extra += await countTokens(JSON.stringify(request.responseFormat.schema));
  const inputTokens = prompt.inputTokens + extra;
  const outputTokens = (request.maxTokens ?? defaultMaxOutputTokens) * Math.max(1, request.n ?? 1);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** Tokens a response used, as rate limits count them: every input token plus every output token. */
export function usedTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}

export function estimateAsUsage(estimate: TokenEstimate): Usage {
  return { inputTokens: estimate.inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: estimate.outputTokens, reasoningTokens: 0 };
}
