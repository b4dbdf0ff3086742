// Token counts for replies that carry no usage: o200k_base (js-tiktoken), loaded on first need
// only, since its rank table is large. Counts follow OpenAI's chat format overhead (3 tokens per
// message, 1 for a name, 3 to prime the reply); they are estimates and marked as such.

import type { Tiktoken } from "js-tiktoken/lite";
import type { ChatMessage, ToolCall, Usage } from "./types";

let encoder: Promise<Tiktoken> | undefined;

function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]).then(
    ([lite, ranks]) => new lite.Tiktoken(ranks.default),
  );
  return encoder;
}

export async function countTokens(text: string): Promise<number> {
  if (text === "") return 0;
  const enc = await loadEncoder();
  return enc.encode(text, [], []).length;
}

/** Estimated usage of one call: the prompt's messages in, every choice and tool call out. */
export async function estimateUsage(
  messages: readonly ChatMessage[],
  outputs: readonly string[],
  toolCalls?: readonly ToolCall[],
): Promise<Usage> {
  const enc = await loadEncoder();
  const count = (text: string) => (text === "" ? 0 : enc.encode(text, [], []).length);
  let input = 3;
  for (const m of messages) {
    input += 3 + count(m.content) + (m.name !== undefined ? 1 + count(m.name) : 0);
    for (const call of m.toolCalls ?? []) input += count(call.name) + count(call.arguments);
  }
  let output = 0;
  for (const text of outputs) output += count(text);
  for (const call of toolCalls ?? []) output += count(call.name) + count(call.arguments);
  return { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: 0 };
}
