// A chat.completions reply body -> the parts of an LMResponse (text, choices, tool calls, finish
// reason, usage). A body of the wrong shape is an LM_BAD_RESPONSE naming what was missing.

import { LMError } from "../errors";
import { readUsage } from "./openai-usage";
import type { FinishReason, ToolCall, Usage } from "./types";

export interface ReplyParts {
  readonly text: string;
  /** Every choice's text, only when the reply had more than one. */
  readonly choices?: readonly string[];
  readonly toolCalls?: readonly ToolCall[];
  readonly finishReason: FinishReason;
  /** The model the provider says answered, when it says. */
  readonly model?: string;
  /** Undefined when the provider sent no usage. */
  readonly usage?: Usage;
}

type Rec = Record<string, unknown>;

export function mapFinishReason(value: unknown): FinishReason {
  switch (typeof value === "string" ? value.toLowerCase() : value) {
    case "stop":
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "length":
    case "max_tokens":
      return "length";
    case "tool_calls":
    case "function_call":
    case "tool_use":
      return "tool_calls";
    case "content_filter":
    case "safety":
      return "content_filter";
    default:
      return "other";
  }
}

export function mapToolCalls(value: unknown): ToolCall[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const calls: ToolCall[] = [];
  for (const raw of value as unknown[]) {
    const call = raw as Rec | null;
    const fn = call?.function as Rec | undefined;
    if (typeof fn?.name !== "string") continue;
    calls.push({
      id: typeof call?.id === "string" ? call.id : "",
      name: fn.name,
      arguments: typeof fn.arguments === "string" ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
    });
  }
  return calls.length > 0 ? calls : undefined;
}

export function readReply(body: unknown, context: { readonly provider: string; readonly model: string }): ReplyParts {
  const choices = typeof body === "object" && body !== null ? (body as Rec).choices : undefined;
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new LMError(
      "LM_BAD_RESPONSE",
      `${context.provider} "${context.model}": reply has no choices (got ${describe(body)}); check that the base URL points at an OpenAI-compatible /chat/completions endpoint`,
      context,
    );
  }
  const b = body as Rec;
  let first: Rec | undefined;
  let texts: string[] | undefined;
  if (choices.length > 1) {
    const ordered = [...(choices as Rec[])].sort((a, z) => Number(a?.index ?? 0) - Number(z?.index ?? 0));
    first = ordered[0];
    texts = ordered.map((c) => messageText(c?.message));
  } else {
    first = choices[0] as Rec | undefined;
  }
  const message = first?.message as Rec | undefined;
  if (typeof message !== "object" || message === null) {
    throw new LMError("LM_BAD_RESPONSE", `${context.provider} "${context.model}": choices[0] has no message (got ${describe(first)})`, context);
  }
  return {
    text: texts?.[0] ?? messageText(message),
    choices: texts,
    toolCalls: mapToolCalls(message.tool_calls),
    finishReason: mapFinishReason(first?.finish_reason),
    model: typeof b.model === "string" && b.model !== "" ? b.model : undefined,
    usage: readUsage(b.usage),
  };
}

function messageText(message: unknown): string {
  const content = (message as Rec | undefined)?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof (part as Rec)?.text === "string" ? ((part as Rec).text as string) : "")).join("");
  }
  return "";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `text ${JSON.stringify(value.slice(0, 80))}`;
  if (typeof value !== "object") return typeof value;
  return `an object with keys [${Object.keys(value).slice(0, 8).join(", ")}]`;
}
