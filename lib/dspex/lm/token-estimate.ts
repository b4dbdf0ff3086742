// Token counts for replies that carry no usage: o200k_base, counted in bounded time (tokenizer.ts).
// Counts follow OpenAI's chat format overhead (3 tokens per message, 1 for a name, 3 to prime the
// reply); they are estimates and marked as such.

import { countTokensWith, loadEncoder } from "./tokenizer";
import type { ChatMessage, ToolCall, Usage } from "./types";

export { countTokens } from "./tokenizer";

/** Estimated usage of one call: the prompt's messages in, every choice and tool call out. */
export async function estimateUsage(
  messages: readonly ChatMessage[],
  outputs: readonly string[],
  toolCalls?: readonly ToolCall[],
): Promise<Usage> {
  const enc = await loadEncoder();
  const count = (text: string) => countTokensWith(enc, text);
  let input = 3;
  for (const m of messages) {
    input += 3 + (await count(m.content)) + (m.name !== undefined ? 1 + (await count(m.name)) : 0);
    for (const call of m.toolCalls ?? []) input += (await count(call.name)) + (await count(call.arguments));
  }
  let output = 0;
  for (const text of outputs) output += await count(text);
  for (const call of toolCalls ?? []) output += (await count(call.name)) + (await count(call.arguments));
  return { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: 0 };
}
