// A Messages API reply (or its stream of events) -> the parts of an LMResponse. Text blocks are the
// text; the structured-output tool's input is the text (as JSON); other tool_use blocks are tool
// calls; thinking is kept apart (counted as reasoning tokens); usage is folded so that input
// includes cache reads and writes, as Usage wants.

import { LMError } from "../errors";
import { OUTPUT_TOOL } from "./anthropic-params";
import type { ReplyParts } from "./openai-response";
import type { FinishReason, ToolCall, Usage } from "./types";

type Rec = Record<string, unknown>;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

export function mapStopReason(reason: unknown, structured: boolean): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return structured ? "stop" : "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "other";
  }
}

/** Usage by kind; `thinkingTokens` is the stand-in for what the API folds into output_tokens. */
export function readAnthropicUsage(usage: unknown, thinkingTokens: number): Usage | undefined {
  const u = usage as Rec | undefined;
  if (typeof u !== "object" || u === null) return undefined;
  const read = num(u.cache_read_input_tokens);
  const write = num(u.cache_creation_input_tokens);
  const output = num(u.output_tokens);
  return { inputTokens: num(u.input_tokens) + read + write, cachedInputTokens: read, cacheWriteTokens: write, outputTokens: output, reasoningTokens: Math.min(thinkingTokens, output) };
}

export interface AnthropicParts extends ReplyParts {
  /** The text of thinking blocks (its tokens are part of the output). */
  readonly thinking: string;
}

/** Reads the content blocks of a message. */
export function readBlocks(content: readonly Rec[], structured: boolean): { text: string; toolCalls?: ToolCall[]; thinking: string; usedOutputTool: boolean } {
  let text = "";
  let thinking = "";
  let usedOutputTool = false;
  const calls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "thinking" && typeof block.thinking === "string") thinking += block.thinking;
    else if (block.type === "tool_use" && typeof block.name === "string") {
      const args = JSON.stringify(block.input ?? {});
      if (structured && block.name === OUTPUT_TOOL) {
        text = args;
        usedOutputTool = true;
      } else calls.push({ id: typeof block.id === "string" ? block.id : "", name: block.name, arguments: args });
    }
  }
  return { text, thinking, usedOutputTool, ...(calls.length > 0 && { toolCalls: calls }) };
}

export function readMessage(body: unknown, context: { readonly provider: string; readonly model: string }, structured: boolean): Omit<AnthropicParts, "usage"> & { rawUsage: unknown } {
  const b = body as Rec | null;
  if (typeof b !== "object" || b === null || !Array.isArray(b.content)) {
    throw new LMError("LM_BAD_RESPONSE", `${context.provider} "${context.model}": the reply is not a Messages API message (no content array); check that the base URL points at the Anthropic API`, context);
  }
  const blocks = readBlocks(b.content as Rec[], structured);
  return {
    text: blocks.text,
    thinking: blocks.thinking,
    ...(blocks.toolCalls !== undefined && { toolCalls: blocks.toolCalls }),
    finishReason: mapStopReason(b.stop_reason, blocks.usedOutputTool),
    ...(typeof b.model === "string" && b.model !== "" && { model: b.model }),
    rawUsage: b.usage,
  };
}

interface OpenBlock {
  type: string;
  id?: string;
  name?: string;
  text: string;
}

/** Folds the named events of a streamed message into one message body (what the API would have sent whole). */
export class MessageAccumulator {
  private readonly blocks: OpenBlock[] = [];
  private usage: Rec = {};
  private stopReason: unknown = null;
  private model: string | undefined;
  /** Characters of text received so far. */
  chars = 0;

  /** Adds one event; returns new reply text ("" when the event carries none). */
  add(event: unknown, structured: boolean): string {
    const e = event as Rec;
    switch (e.type) {
      case "message_start": {
        const message = e.message as Rec | undefined;
        if (typeof message?.model === "string") this.model = message.model;
        this.usage = { ...(message?.usage as Rec | undefined) };
        return "";
      }
      case "content_block_start": {
        const block = e.content_block as Rec;
        this.blocks[num(e.index)] = { type: String(block.type), id: block.id as string | undefined, name: block.name as string | undefined, text: "" };
        return "";
      }
      case "content_block_delta": {
        const block = this.blocks[num(e.index)];
        const delta = e.delta as Rec;
        if (block === undefined) return "";
        const piece = delta.type === "text_delta" ? delta.text : delta.type === "input_json_delta" ? delta.partial_json : delta.type === "thinking_delta" ? delta.thinking : undefined;
        if (typeof piece !== "string") return "";
        block.text += piece;
        const visible = delta.type === "text_delta" || (structured && delta.type === "input_json_delta" && block.name === OUTPUT_TOOL);
        if (!visible) return "";
        this.chars += piece.length;
        return piece;
      }
      case "message_delta": {
        const delta = e.delta as Rec | undefined;
        if (delta?.stop_reason != null) this.stopReason = delta.stop_reason;
        this.usage = { ...this.usage, ...(e.usage as Rec | undefined) };
        return "";
      }
      default:
        return "";
    }
  }

  /** The message as a whole body. */
  message(): Rec {
    const content = this.blocks.filter(Boolean).map((b) => {
      if (b.type === "tool_use") {
        let input: unknown = {};
        try {
          input = b.text === "" ? {} : JSON.parse(b.text);
        } catch {
          input = {};
        }
        return { type: "tool_use", id: b.id, name: b.name, input };
      }
      return b.type === "thinking" ? { type: "thinking", thinking: b.text } : { type: b.type, text: b.text };
    });
    return { type: "message", model: this.model, content, stop_reason: this.stopReason, usage: this.usage };
  }
}
