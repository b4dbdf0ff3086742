// Reads the `usage` object of a chat completion (or of the final stream chunk) into tokens by kind,
// covering the variants OpenAI-compatible providers send.

import type { Usage } from "./types";

type Rec = Record<string, unknown>;

function rec(value: unknown): Rec | undefined {
  return typeof value === "object" && value !== null ? (value as Rec) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Token counts by kind, or undefined when the reply carries no usage. Understood variants:
 * - OpenAI, Azure, Groq, Gemini, OpenRouter: `prompt_tokens_details.cached_tokens`,
 *   `completion_tokens_details.reasoning_tokens`
 * - OpenRouter: `prompt_tokens_details.cache_write_tokens`
 * - DeepSeek: `prompt_cache_hit_tokens`; Moonshot: `cached_tokens` at the top level
 * - Anthropic-style (`input_tokens` without the cache, `cache_read_input_tokens`,
 *   `cache_creation_input_tokens`): folded so that inputTokens includes the cache
 * - Servers that leave reasoning tokens out of completion_tokens but count them in total_tokens:
 *   they are added back, since Usage.outputTokens includes reasoning
 */
export function readUsage(value: unknown): Usage | undefined {
  const u = rec(value);
  if (u === undefined) return undefined;
  const prompt = num(u.prompt_tokens);
  const completion = num(u.completion_tokens) ?? num(u.output_tokens);
  if (prompt === undefined && completion === undefined && num(u.input_tokens) === undefined) return undefined;

  const pd = rec(u.prompt_tokens_details) ?? rec(u.input_tokens_details);
  const cd = rec(u.completion_tokens_details) ?? rec(u.output_tokens_details);
  const cached =
    num(pd?.cached_tokens) ?? num(u.prompt_cache_hit_tokens) ?? num(u.cached_tokens) ?? num(u.cache_read_input_tokens) ?? 0;
  const cacheWrite = num(pd?.cache_write_tokens) ?? num(pd?.cache_creation_tokens) ?? num(u.cache_creation_input_tokens) ?? 0;
  const reasoning = num(cd?.reasoning_tokens) ?? num(u.reasoning_tokens) ?? 0;

  // Anthropic-style input_tokens leaves out cache reads and writes; prompt_tokens includes them.
  let input = prompt ?? (num(u.input_tokens) ?? 0) + (num(u.cache_read_input_tokens) ?? 0) + (num(u.cache_creation_input_tokens) ?? 0);
  // A count of cache tokens above the input total means the input total left them out.
  if (cached + cacheWrite > input) input += cached + cacheWrite;

  let output = completion ?? 0;
  const total = num(u.total_tokens);
  if (reasoning > 0 && total !== undefined && total === input + output + reasoning && total !== input + output) output += reasoning;
  if (reasoning > output) output = reasoning;

  return { inputTokens: input, cachedInputTokens: cached, cacheWriteTokens: cacheWrite, outputTokens: output, reasoningTokens: reasoning };
}
