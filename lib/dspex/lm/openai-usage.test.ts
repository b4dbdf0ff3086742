import { describe, expect, test } from "vitest";
import { readUsage } from ".";

describe("readUsage", () => {
  test("OpenAI shape: cached and reasoning details", () => {
    expect(
      readUsage({ prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 30 } }),
    ).toEqual({ inputTokens: 100, cachedInputTokens: 64, cacheWriteTokens: 0, outputTokens: 40, reasoningTokens: 30 });
  });

  test("Moonshot's top-level cached_tokens", () => {
    expect(readUsage({ prompt_tokens: 50, completion_tokens: 5, cached_tokens: 20 })?.cachedInputTokens).toBe(20);
  });

  test("Anthropic-style input_tokens (without the cache) is folded into a total that includes it", () => {
    expect(readUsage({ input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 7 })).toEqual({
      inputTokens: 1210,
      cachedInputTokens: 1000,
      cacheWriteTokens: 200,
      outputTokens: 7,
      reasoningTokens: 0,
    });
  });

  test("reasoning left out of completion_tokens but counted in total_tokens is added back to output", () => {
    expect(readUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 115, completion_tokens_details: { reasoning_tokens: 100 } })?.outputTokens).toBe(105);
    // when completion_tokens already includes it, nothing changes
    expect(readUsage({ prompt_tokens: 10, completion_tokens: 105, total_tokens: 115, completion_tokens_details: { reasoning_tokens: 100 } })?.outputTokens).toBe(105);
  });

  test("no usage, or no token counts, is undefined", () => {
    expect(readUsage(undefined)).toBeUndefined();
    expect(readUsage(null)).toBeUndefined();
    expect(readUsage({ cost: 0.1 })).toBeUndefined();
  });
});
