// What the test server says: the reply a `respond` hook chooses, and its rendering as an OpenAI
// chat.completion body or as chat.completion.chunk events for SSE.

/** A request body as received (parsed JSON). */
export interface ChatRequestBody {
  readonly model?: string;
  readonly messages?: readonly { readonly role: string; readonly content: unknown; readonly [key: string]: unknown }[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
  readonly n?: number;
  readonly [key: string]: unknown;
}

/** Token counts to report; rendered with prompt_tokens_details / completion_tokens_details. */
export interface ServerUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens?: number;
  readonly reasoningTokens?: number;
}

export interface ServerToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments: string;
}

/** A normal reply. Every field has a default: the text echoes the last message. */
export interface TextReply {
  readonly type?: "reply";
  readonly text?: string;
  /** Texts of every choice (for n > 1); default: `n` copies of text, numbered after the first. */
  readonly choices?: readonly string[];
  readonly toolCalls?: readonly ServerToolCall[];
  /** Default "stop", or "tool_calls" when there are tool calls. */
  readonly finishReason?: string;
  /** Structured counts, `{ raw }` to send a usage object verbatim, or null to send none. */
  readonly usage?: ServerUsage | { readonly raw: Readonly<Record<string, unknown>> } | null;
  /** The model named in the reply; default the request's. */
  readonly model?: string;
  /** Streaming: "requested" (default) sends usage only when stream_options.include_usage asks; "x_groq" the way Groq does. */
  readonly streamUsage?: "requested" | "always" | "never" | "x_groq";
  readonly headers?: Readonly<Record<string, string>>;
}

export type ServerReply =
  | TextReply
  /** 429 with Retry-After (seconds) and/or retry-after-ms. */
  | {
      readonly type: "rate-limit";
      readonly retryAfterSeconds?: number;
      readonly retryAfterMs?: number;
      readonly message?: string;
      /** e.g. x-ratelimit-remaining-requests. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** `{error:{message, type, param, code}}`; type defaults from the status, code to the type. */
  | {
      readonly type: "error";
      readonly status: number;
      readonly message?: string;
      readonly headers?: Readonly<Record<string, string>>;
      readonly errorType?: string;
      readonly code?: string | null;
      readonly param?: string | null;
    }
  /** Never answers (until the client gives up or the server closes). */
  | { readonly type: "hang" }
  /** A reply cut off by the token limit: finish_reason "length". */
  | { readonly type: "truncated"; readonly text?: string; readonly usage?: ServerUsage }
  /** 200 with a body that is not JSON (or, when streaming, an event that is not). */
  | { readonly type: "malformed"; readonly body?: string }
  /** Resets the connection: before any reply, or when streaming after `afterChunks` text chunks (default 2). */
  | { readonly type: "reset"; readonly text?: string; readonly afterChunks?: number };

export function lastMessageText(body: ChatRequestBody): string {
  const messages = body.messages;
  const last = messages?.[messages.length - 1];
  return typeof last?.content === "string" ? last.content : "";
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function promptTokens(body: ChatRequestBody): number {
  let chars = 0;
  for (const m of body.messages ?? []) chars += typeof m.content === "string" ? m.content.length : 0;
  return estimateTokens(" ".repeat(chars)) + 3 * (body.messages?.length ?? 0);
}

export function renderUsage(reply: TextReply, body: ChatRequestBody, texts: readonly string[]): Record<string, unknown> | undefined {
  const usage = reply.usage;
  if (usage === null) return undefined;
  if (usage !== undefined && "raw" in usage) return { ...usage.raw };
  const prompt = usage?.promptTokens ?? promptTokens(body);
  const completion = usage?.completionTokens ?? texts.reduce((sum, t) => sum + estimateTokens(t), 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0, audio_tokens: 0 },
  };
}

export function choiceTexts(reply: TextReply, body: ChatRequestBody): string[] {
  const n = typeof body.n === "number" && body.n > 1 ? body.n : 1;
  if (reply.choices !== undefined) return [...reply.choices];
  const text = reply.text ?? `echo: ${lastMessageText(body)}`;
  return Array.from({ length: n }, (_, i) => (i === 0 ? text : `${text} (${i + 1})`));
}

function renderToolCalls(calls: readonly ServerToolCall[]): unknown[] {
  return calls.map((c, i) => ({ id: c.id ?? `call_${i + 1}`, type: "function", function: { name: c.name, arguments: c.arguments } }));
}

let completionSeq = 0;

export function completionBody(reply: TextReply, body: ChatRequestBody, created: number): Record<string, unknown> {
  const texts = choiceTexts(reply, body);
  const calls = reply.toolCalls;
  const finish = reply.finishReason ?? (calls !== undefined && calls.length > 0 ? "tool_calls" : "stop");
  const choices = texts.map((text, index) => ({
    index,
    message: {
      role: "assistant",
      content: index === 0 && calls !== undefined && calls.length > 0 && text === "" ? null : text,
      refusal: null,
      ...(index === 0 && calls !== undefined && calls.length > 0 ? { tool_calls: renderToolCalls(calls) } : {}),
    },
    logprobs: null,
    finish_reason: finish,
  }));
  const usage = renderUsage(reply, body, texts);
  return {
    id: `chatcmpl-test-${++completionSeq}`,
    object: "chat.completion",
    created,
    model: reply.model ?? body.model ?? "test-model",
    choices,
    ...(usage !== undefined ? { usage } : {}),
  };
}

/** Splits text the way models stream it: one word (with its trailing space) per chunk. */
export function textPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** The chunk events of a streamed reply, in order (without the final [DONE]). */
export function streamChunks(reply: TextReply, body: ChatRequestBody, created: number): Record<string, unknown>[] {
  const id = `chatcmpl-test-${++completionSeq}`;
  const model = reply.model ?? body.model ?? "test-model";
  const chunk = (choices: unknown[], extra?: Record<string, unknown>) => ({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  const texts = choiceTexts(reply, body);
  const calls = reply.toolCalls ?? [];
  const finish = reply.finishReason ?? (calls.length > 0 ? "tool_calls" : "stop");
  const out: Record<string, unknown>[] = [];
  texts.forEach((_, index) => out.push(chunk([{ index, delta: { role: "assistant", content: "" }, finish_reason: null }])));
  texts.forEach((text, index) => {
    for (const piece of textPieces(text)) out.push(chunk([{ index, delta: { content: piece }, finish_reason: null }]));
  });
  calls.forEach((call, i) => {
    const half = Math.ceil(call.arguments.length / 2);
    const head = { index: i, id: call.id ?? `call_${i + 1}`, type: "function", function: { name: call.name, arguments: call.arguments.slice(0, half) } };
    out.push(chunk([{ index: 0, delta: { tool_calls: [head] }, finish_reason: null }]));
    out.push(chunk([{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: call.arguments.slice(half) } }] }, finish_reason: null }]));
  });
  const usage = renderUsage(reply, body, texts);
  const mode = reply.streamUsage ?? "requested";
  const wantsUsage = mode === "always" || (mode === "requested" && body.stream_options?.include_usage === true);
  texts.forEach((_, index) => {
    const last = index === texts.length - 1;
    const groq = last && mode === "x_groq" && usage !== undefined ? { x_groq: { usage } } : undefined;
    out.push(chunk([{ index, delta: {}, finish_reason: finish }], groq));
  });
  if (wantsUsage && usage !== undefined) out.push(chunk([], { usage }));
  return out;
}
