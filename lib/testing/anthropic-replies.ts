// What the Anthropic stand-in says: the reply a `respond` hook chooses, and its rendering as a
// Messages API body or as the named SSE events of a streamed message.

/** A content block of a reply. */
export type AnthropicBlock =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "tool_use"; readonly id?: string; readonly name: string; readonly input: Readonly<Record<string, unknown>> }
  | { readonly type: "thinking"; readonly thinking: string; readonly signature?: string };

export interface AnthropicUsage {
  /** Input tokens outside the cache (the API leaves cache reads and writes out of this count). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationInputTokens?: number;
  readonly cacheReadInputTokens?: number;
}

export type AnthropicStopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface AnthropicMessageReply {
  readonly type?: "message";
  readonly content: readonly AnthropicBlock[];
  readonly stopReason: AnthropicStopReason;
  readonly stopSequence?: string | null;
  readonly usage: AnthropicUsage;
  readonly model: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error";

/** A message as a hook gives it: every field has a default (echo, stop reason from the blocks, counted usage, the request's model). */
export interface AnthropicDraft {
  readonly type?: "message";
  readonly content?: readonly AnthropicBlock[];
  readonly stopReason?: AnthropicStopReason;
  readonly usage?: AnthropicUsage;
  readonly model?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type AnthropicReply =
  | AnthropicDraft
  /** `{type:"error", error:{type, message}}`; the type defaults from the status. */
  | { readonly type: "error"; readonly status: number; readonly errorType?: AnthropicErrorType; readonly message?: string; readonly headers?: Readonly<Record<string, string>> }
  /** 429 rate_limit_error with retry-after and anthropic-ratelimit-* headers. */
  | { readonly type: "rate-limit"; readonly retryAfterSeconds?: number; readonly message?: string }
  /** Streaming: the message starts, `afterBlocks` blocks are sent whole, then an `error` event (default overloaded_error). */
  | { readonly type: "stream-error"; readonly reply?: AnthropicDraft; readonly afterBlocks?: number; readonly errorType?: AnthropicErrorType; readonly message?: string }
  | { readonly type: "hang" }
  /** 200 with a body that is not JSON (or, streaming, an event whose data is not). */
  | { readonly type: "malformed"; readonly body?: string }
  | { readonly type: "reset" };

const STATUS_TYPES: Readonly<Record<number, AnthropicErrorType>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function errorTypeOf(status: number): AnthropicErrorType {
  return STATUS_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function errorBody(errorType: AnthropicErrorType, message: string): string {
  return JSON.stringify({ type: "error", error: { type: errorType, message } });
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}_standin${(++seq).toString(36).padStart(6, "0")}`;

function renderUsage(u: AnthropicUsage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens ?? 0,
    cache_read_input_tokens: u.cacheReadInputTokens ?? 0,
    output_tokens: u.outputTokens,
    service_tier: "standard",
  };
}

function renderBlock(block: AnthropicBlock): Record<string, unknown> {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "tool_use":
      return { type: "tool_use", id: block.id ?? nextId("toolu"), name: block.name, input: block.input };
    case "thinking":
      return { type: "thinking", thinking: block.thinking, signature: block.signature ?? "c2lnbmF0dXJl" };
  }
}

export function messageBody(reply: AnthropicMessageReply): Record<string, unknown> {
  return {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model: reply.model,
    content: reply.content.map(renderBlock),
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence ?? null,
    usage: renderUsage(reply.usage),
  };
}

export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function blockEvents(block: Record<string, unknown>, index: number): SseEvent[] {
  const events: SseEvent[] = [];
  const delta = (d: Record<string, unknown>) => events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: d } });
  if (block.type === "text") {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
    for (const p of pieces(block.text as string)) delta({ type: "text_delta", text: p });
  } else if (block.type === "tool_use") {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } } });
    const json = JSON.stringify(block.input);
    const half = Math.ceil(json.length / 2);
    delta({ type: "input_json_delta", partial_json: "" });
    delta({ type: "input_json_delta", partial_json: json.slice(0, half) });
    delta({ type: "input_json_delta", partial_json: json.slice(half) });
  } else {
    events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } } });
    for (const p of pieces(block.thinking as string)) delta({ type: "thinking_delta", thinking: p });
    delta({ type: "signature_delta", signature: block.signature as string });
  }
  events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  return events;
}

/** The events of a streamed message, in order; `blocks` limits how many content blocks are sent (for mid-stream errors). */
export function streamEvents(reply: AnthropicMessageReply, blocks?: number): { readonly head: SseEvent[]; readonly tail: SseEvent[] } {
  const body = messageBody(reply);
  const content = body.content as Record<string, unknown>[];
  const usage = body.usage as Record<string, unknown>;
  const start = { ...body, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } };
  const head: SseEvent[] = [
    { event: "message_start", data: { type: "message_start", message: start } },
    { event: "ping", data: { type: "ping" } },
  ];
  content.slice(0, blocks ?? content.length).forEach((block, i) => head.push(...blockEvents(block, i)));
  const tail: SseEvent[] = [
    {
      event: "message_delta",
      data: { type: "message_delta", delta: { stop_reason: body.stop_reason, stop_sequence: body.stop_sequence }, usage: { output_tokens: usage.output_tokens } },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ];
  return { head, tail };
}

export function sse(events: readonly SseEvent[]): string {
  let out = "";
  for (const e of events) out += `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
  return out;
}
