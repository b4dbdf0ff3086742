// A real HTTP server on 127.0.0.1 that speaks Anthropic's Messages API, for tests, benchmarks and
// end-to-end runs: POST /v1/messages (JSON or named SSE events), GET /v1/models. It checks requests
// as the API does (headers, shape, alternation, thinking rules), keeps a prompt cache so repeated
// prefixes marked cache_control report cache reads, honours max_tokens and stop_sequences, and a
// `respond` hook picks each reply or fault. Every request is recorded.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { listen, readBody, resetConnection, splitUrl } from "../dspex/testing/http-listen";
import { cachedPrefix, checkMessagesRequest, promptText, blocksText } from "./anthropic-request";
import type { MessagesRequest } from "./anthropic-request";
import { errorBody, errorTypeOf, messageBody, sse, streamEvents } from "./anthropic-replies";
import type { AnthropicBlock, AnthropicDraft, AnthropicErrorType, AnthropicMessageReply, AnthropicReply, AnthropicStopReason } from "./anthropic-replies";

export type { AnthropicBlock, AnthropicDraft, AnthropicErrorType, AnthropicMessageReply, AnthropicReply } from "./anthropic-replies";
export type { MessagesRequest } from "./anthropic-request";

export interface ReceivedMessagesRequest {
  readonly index: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: MessagesRequest;
}

export type AnthropicRespond = (request: ReceivedMessagesRequest) => AnthropicReply | Promise<AnthropicReply>;

export interface AnthropicModelInfo {
  readonly id: string;
  readonly displayName?: string;
}

export interface AnthropicServerOptions {
  /** Default: echo the last user message. */
  readonly respond?: AnthropicRespond;
  /** Served by GET /v1/models; a request for another model is 404 not_found_error. Default: any model. */
  readonly models?: readonly AnthropicModelInfo[];
  /** When set, requests must carry `x-api-key` with it (401 authentication_error otherwise). */
  readonly apiKey?: string;
  /** Prefixes shorter than this are not cached, as on the real API (1024 for most models); default 1024. */
  readonly minCacheTokens?: number;
  readonly port?: number;
  readonly record?: boolean;
}

export interface AnthropicServer {
  /** e.g. "http://127.0.0.1:41234": the SDK's baseURL (it adds /v1/messages). */
  readonly baseURL: string;
  readonly requests: readonly ReceivedMessagesRequest[];
  readonly requestCount: number;
  respondWith(respond: AnthropicRespond): void;
  /** Forgets requests and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

/** The stand-in's token count: one token per four characters, at least one. */
export function countTokens(text: string): number {
  return text === "" ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

const echo: AnthropicRespond = (r) => ({ content: [{ type: "text", text: `echo: ${blocksText(r.body.messages.at(-1)?.content)}` }] });

export async function startAnthropicServer(options: AnthropicServerOptions = {}): Promise<AnthropicServer> {
  let respond = options.respond ?? echo;
  const minCache = options.minCacheTokens ?? 1024;
  const record = options.record ?? true;
  const models = options.models;
  const cache = new Set<string>();
  const requests: ReceivedMessagesRequest[] = [];
  let count = 0;

  function inputUsage(body: MessagesRequest): { inputTokens: number; cacheCreationInputTokens: number; cacheReadInputTokens: number } {
    const total = countTokens(promptText(body));
    const prefix = cachedPrefix(body);
    const prefixTokens = countTokens(prefix);
    if (prefix === "" || prefixTokens < minCache) return { inputTokens: total, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    const key = createHash("sha256").update(body.model).update("\u0000").update(prefix).digest("hex");
    const hit = cache.has(key);
    cache.add(key);
    const rest = Math.max(0, total - prefixTokens);
    return hit
      ? { inputTokens: rest, cacheCreationInputTokens: 0, cacheReadInputTokens: prefixTokens }
      : { inputTokens: rest, cacheCreationInputTokens: prefixTokens, cacheReadInputTokens: 0 };
  }

  function finish(draft: AnthropicDraft, received: ReceivedMessagesRequest): AnthropicMessageReply {
    const body = received.body;
    const content = draft.content ?? [{ type: "text", text: "" }];
    const limited: { content: readonly AnthropicBlock[]; stopReason: AnthropicStopReason; stopSequence: string | null } = draft.stopReason === undefined ? limitOutput(content, body) : { content, stopReason: draft.stopReason, stopSequence: null };
    const output = limited.content.reduce((sum, b) => sum + countTokens(b.type === "text" ? b.text : b.type === "thinking" ? b.thinking : JSON.stringify(b.input)), 0);
    return {
      content: limited.content,
      stopReason: limited.stopReason,
      stopSequence: limited.stopSequence,
      usage: draft.usage ?? { ...inputUsage(body), outputTokens: Math.max(1, output) },
      model: draft.model ?? body.model,
      headers: draft.headers,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path } = splitUrl(req.url);
    if (options.apiKey !== undefined && req.headers["x-api-key"] !== options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, "invalid x-api-key", "authentication_error");
    }
    if (req.method === "GET" && path === "/v1/models") return sendModels(res, models);
    if (req.method !== "POST" || path !== "/v1/messages") return sendError(res, 404, `Not found: ${req.method} ${path}`, "not_found_error");
    if (typeof req.headers["anthropic-version"] !== "string") return sendError(res, 400, "anthropic-version: header is required", "invalid_request_error");
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch {
      return sendError(res, 400, "There was an error parsing the body of your request: not valid JSON", "invalid_request_error");
    }
    const checked = checkMessagesRequest(raw);
    if (!checked.ok) return sendError(res, 400, checked.message, "invalid_request_error");
    const body = checked.request;
    if (models !== undefined && !models.some((m) => m.id === body.model)) return sendError(res, 404, `model: ${body.model}`, "not_found_error");
    const received: ReceivedMessagesRequest = { index: count++, path, headers: req.headers, body };
    if (record) requests.push(received);
    const reply = await respond(received);
    send(res, reply, received);
  }

  function send(res: ServerResponse, reply: AnthropicReply, received: ReceivedMessagesRequest): void {
    const stream = received.body.stream === true;
    switch (reply.type) {
      case "error":
        return sendError(res, reply.status, reply.message ?? `stand-in error ${reply.status}`, reply.errorType ?? errorTypeOf(reply.status), reply.headers);
      case "rate-limit": {
        const reset = new Date(Date.now() + 1000 * (reply.retryAfterSeconds ?? 1)).toISOString();
        return sendError(res, 429, reply.message ?? "Number of requests has exceeded your per-minute rate limit", "rate_limit_error", {
          "retry-after": String(reply.retryAfterSeconds ?? 1),
          "anthropic-ratelimit-requests-limit": "50",
          "anthropic-ratelimit-requests-remaining": "0",
          "anthropic-ratelimit-requests-reset": reset,
        });
      }
      case "hang":
        return;
      case "reset":
        return resetConnection(res);
      case "malformed":
        if (stream) {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(`event: message_start\ndata: ${reply.body ?? "{not json"}\n\n`);
        } else res.writeHead(200, { "content-type": "application/json" }).end(reply.body ?? '{"id":"msg_broken","content":[');
        return;
      case "stream-error": {
        const message = finish(reply.reply ?? {}, received);
        if (!stream) return sendError(res, 529, reply.message ?? "Overloaded", reply.errorType ?? "overloaded_error");
        const { head } = streamEvents(message, reply.afterBlocks ?? 1);
        const error = { event: "error", data: JSON.parse(errorBody(reply.errorType ?? "overloaded_error", reply.message ?? "Overloaded")) as Record<string, unknown> };
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.end(sse([...head, error]));
        return;
      }
      default: {
        const message = finish(reply, received);
        const headers = { "request-id": `req_standin${received.index}`, ...message.headers };
        if (stream) {
          const { head, tail } = streamEvents(message);
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
          res.end(sse([...head, ...tail]));
        } else {
          const json = JSON.stringify(messageBody(message));
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...headers }).end(json);
        }
      }
    }
  }

  const server = await listen(handle, options.port, (res, error) => sendError(res, 500, `stand-in failed: ${String(error)}`, "api_error"));
  return {
    baseURL: server.origin,
    get requests() {
      return requests;
    },
    get requestCount() {
      return count;
    },
    respondWith(next) {
      respond = next;
    },
    reset() {
      requests.length = 0;
      count = 0;
      cache.clear();
    },
    close: () => server.close(),
  };
}

function sendError(res: ServerResponse, status: number, message: string, errorType: AnthropicErrorType, headers?: Readonly<Record<string, string>>): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_standin_error", ...headers }).end(errorBody(errorType, message));
}

function sendModels(res: ServerResponse, models: readonly AnthropicModelInfo[] | undefined): void {
  const data = (models ?? []).map((m) => ({ type: "model", id: m.id, display_name: m.displayName ?? m.id, created_at: "2025-01-01T00:00:00Z" }));
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }));
}

/** Applies stop_sequences and max_tokens to the text the model wrote, as the API does. */
function limitOutput(
  content: readonly AnthropicBlock[],
  body: MessagesRequest,
): { content: AnthropicBlock[]; stopReason: AnthropicStopReason; stopSequence: string | null } {
  let budget = body.max_tokens;
  const out: AnthropicBlock[] = [];
  for (const block of content) {
    if (block.type === "text") {
      let text = block.text;
      for (const stop of body.stop_sequences ?? []) {
        const at = stop === "" ? -1 : text.indexOf(stop);
        if (at >= 0) {
          out.push({ type: "text", text: text.slice(0, at) });
          return { content: out, stopReason: "stop_sequence", stopSequence: stop };
        }
      }
      if (countTokens(text) > budget) {
        text = text.slice(0, budget * 4);
        out.push({ type: "text", text });
        return { content: out, stopReason: "max_tokens", stopSequence: null };
      }
      budget -= countTokens(text);
      out.push(block);
    } else {
      const size = countTokens(block.type === "thinking" ? block.thinking : JSON.stringify(block.input));
      if (size > budget) {
        // A tool call cut by the cap arrives with whatever input was complete: none.
        if (block.type === "tool_use") out.push({ ...block, input: {} });
        return { content: out, stopReason: "max_tokens", stopSequence: null };
      }
      budget -= size;
      out.push(block);
    }
  }
  return { content: out, stopReason: out.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn", stopSequence: null };
}
