import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../lm/types";
import { formatMessagesAsText, toOpenAIMessages } from "./index";

const messages: ChatMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "[[ ## question ## ]]\n2+2?", name: "alice" },
  { role: "assistant", content: "", toolCalls: [{ id: "call_1", name: "add", arguments: '{"a":2,"b":2}' }] },
  { role: "tool", content: "4", toolCallId: "call_1" },
  { role: "assistant", content: "4" },
];

describe("toOpenAIMessages", () => {
  it("produces plain chat-completions messages with tool calls", () => {
    const out = toOpenAIMessages(messages);
    expect(out).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "[[ ## question ## ]]\n2+2?", name: "alice" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "add", arguments: '{"a":2,"b":2}' } }] },
      { role: "tool", content: "4", tool_call_id: "call_1" },
      { role: "assistant", content: "4" },
    ]);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});

describe("formatMessagesAsText", () => {
  it("writes one headed block per message, tool calls included", () => {
    expect(formatMessagesAsText(messages)).toBe(
      [
        "── system ──\nBe brief.",
        "── user (alice) ──\n[[ ## question ## ]]\n2+2?",
        '── assistant ──\n→ tool call add({"a":2,"b":2}) [call_1]',
        "── tool call_1 ──\n4",
        "── assistant ──\n4",
      ].join("\n\n"),
    );
  });
});
