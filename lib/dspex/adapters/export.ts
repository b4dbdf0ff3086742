// The exact messages of a call, outside DSPEx: as OpenAI chat-completions messages, or as text.
import type { ChatMessage } from "../lm/types";

export type OpenAIChatMessage =
  | { role: "system"; content: string; name?: string }
  | { role: "user"; content: string; name?: string }
  | {
      role: "assistant";
      content: string | null;
      name?: string;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; content: string; tool_call_id: string };

/** Plain objects for `openai.chat.completions.create({ messages })`, tool calls included. */
export function toOpenAIMessages(messages: readonly ChatMessage[]): OpenAIChatMessage[] {
  return messages.map((m): OpenAIChatMessage => {
    const name = m.name !== undefined ? { name: m.name } : {};
    switch (m.role) {
      case "tool":
        return { role: "tool", content: m.content, tool_call_id: m.toolCallId ?? "" };
      case "assistant": {
        if (!m.toolCalls?.length) return { role: "assistant", content: m.content, ...name };
        return {
          role: "assistant",
          content: m.content === "" ? null : m.content,
          ...name,
          tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
        };
      }
      default:
        return { role: m.role, content: m.content, ...name };
    }
  });
}

/** A readable transcript: one "── role ──" header per message, tool calls listed after the content. */
export function formatMessagesAsText(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) => {
      const who = m.role === "tool" ? `tool ${m.toolCallId ?? ""}`.trim() : m.name ? `${m.role} (${m.name})` : m.role;
      const calls = (m.toolCalls ?? []).map((c) => `→ tool call ${c.name}(${c.arguments}) [${c.id}]`);
      return [`── ${who} ──`, ...(m.content ? [m.content] : []), ...calls].join("\n");
    })
    .join("\n\n");
}
