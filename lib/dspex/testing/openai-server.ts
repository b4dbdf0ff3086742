// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests and
// benchmarks: POST .../chat/completions (JSON or SSE), GET .../models. A `respond` hook picks each
// reply or fault; every request is recorded for assertions. No sleeps, no logging.

import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, readBody, resetConnection, splitUrl } from "./http-listen";
import { completionBody, streamChunks } from "./openai-replies";
import type { ChatRequestBody, ServerReply, TextReply } from "./openai-replies";

export type { ChatRequestBody, ServerReply, ServerToolCall, ServerUsage, TextReply } from "./openai-replies";

export interface ReceivedRequest {
  /** Order of arrival, from 0. */
  readonly index: number;
  readonly method: string;
  /** The path without the query, e.g. "/v1/chat/completions". */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body ({} for GET). */
  readonly body: ChatRequestBody;
  /** Server clock (ms) when the body was read. */
  readonly receivedAt: number;
}

export type Respond = (request: ReceivedRequest) => ServerReply | Promise<ServerReply>;

export interface OpenAIServerOptions {
  /** Chooses each reply; default: echo the last message. */
  readonly respond?: Respond;
  /** Keep every request for `requests`; default true (turn off for long benchmarks). */
  readonly record?: boolean;
  /** Model ids for GET /models; default ["test-model"]. */
  readonly models?: readonly string[];
  /** Clock for receivedAt (ms); default performance.now. */
  readonly now?: () => number;
  /** When set, every request must carry it (`Authorization: Bearer`, or Azure's `api-key`); else 401 invalid_api_key. */
  readonly apiKey?: string;
  /** Port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
}

export interface OpenAIServer {
  /** e.g. "http://127.0.0.1:41234/v1", ready for the SDK's baseURL. */
  readonly baseURL: string;
  /** "http://127.0.0.1:41234", for clients that add their own path (Azure). */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  /** Requests received (counted even when recording is off). */
  readonly requestCount: number;
  /** Replaces the respond hook. */
  respondWith(respond: Respond): void;
  /** Forgets recorded requests and zeroes the count. */
  reset(): void;
  /** Stops listening and drops every open connection (hung ones included). */
  close(): Promise<void>;
}

const echo: Respond = () => ({});

export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<OpenAIServer> {
  let respond = options.respond ?? echo;
  const record = options.record ?? true;
  const now = options.now ?? (() => performance.now());
  const modelsBody = JSON.stringify({ object: "list", data: (options.models ?? ["test-model"]).map((id) => ({ id, object: "model", created: 0, owned_by: "dspex-test" })) });
  const requests: ReceivedRequest[] = [];
  let count = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, query } = splitUrl(req.url);
    if (options.apiKey !== undefined && !keyMatches(req, options.apiKey)) {
      sendError(res, 401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", { code: "invalid_api_key" });
      return;
    }
    if (req.method === "GET" && path.endsWith("/models")) {
      res.writeHead(200, { "content-type": "application/json" }).end(modelsBody);
      return;
    }
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      sendError(res, 404, `no route for ${req.method} ${path}; this server answers POST .../chat/completions and GET .../models`);
      return;
    }
    const text = await readBody(req);
    let body: ChatRequestBody;
    try {
      body = JSON.parse(text) as ChatRequestBody;
    } catch {
      sendError(res, 400, "request body is not valid JSON");
      return;
    }
    const received: ReceivedRequest = { index: count++, method: req.method, path, query, headers: req.headers, body, receivedAt: now() };
    if (record) requests.push(received);
    let reply: ServerReply;
    try {
      reply = await respond(received);
    } catch (error) {
      sendError(res, 500, `respond hook threw: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    send(res, reply, body);
  }

  const server = await listen(handle, options.port, (res, error) => sendError(res, 500, String(error)));
  return {
    baseURL: `${server.origin}/v1`,
    origin: server.origin,
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
    },
    close: () => server.close(),
  };
}

function keyMatches(req: IncomingMessage, key: string): boolean {
  return req.headers.authorization === `Bearer ${key}` || req.headers["api-key"] === key;
}

interface ErrorFields {
  readonly headers?: Readonly<Record<string, string>>;
  readonly errorType?: string;
  readonly code?: string | null;
  readonly param?: string | null;
}

function sendError(res: ServerResponse, status: number, message: string, fields: ErrorFields = {}): void {
  const type = fields.errorType ?? (status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error");
  res.writeHead(status, { "content-type": "application/json", ...fields.headers });
  res.end(JSON.stringify({ error: { message, type, param: fields.param ?? null, code: fields.code === undefined ? type : fields.code } }));
}

function send(res: ServerResponse, reply: ServerReply, body: ChatRequestBody): void {
  const created = Math.floor(Date.now() / 1000);
  switch (reply.type) {
    case "rate-limit": {
      const headers: Record<string, string> = {};
      if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
      if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
      sendError(res, 429, reply.message ?? "Rate limit reached for requests", { headers: { ...headers, ...reply.headers } });
      return;
    }
    case "error":
      sendError(res, reply.status, reply.message ?? `test server error ${reply.status}`, reply);
      return;
    case "hang":
      return;
    case "malformed":
      if (body.stream === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: ${reply.body ?? "{not json"}\n\n`);
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end(reply.body ?? '{"id": "chatcmpl-broken", "choices": [');
      }
      return;
    case "reset":
      if (body.stream !== true) return resetConnection(res);
      return streamThenReset(res, reply, body, created);
    case "truncated":
      return sendText(res, { text: reply.text ?? "This reply was cut off by the tok", finishReason: "length", usage: reply.usage }, body, created);
    default:
      return sendText(res, reply, body, created);
  }
}

function sendText(res: ServerResponse, reply: TextReply, body: ChatRequestBody, created: number): void {
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
    let out = "";
    for (const chunk of streamChunks(reply, body, created)) out += `data: ${JSON.stringify(chunk)}\n\n`;
    res.end(`${out}data: [DONE]\n\n`);
    return;
  }
  const json = JSON.stringify(completionBody(reply, body, created));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...reply.headers });
  res.end(json);
}

function streamThenReset(res: ServerResponse, reply: { text?: string; afterChunks?: number }, body: ChatRequestBody, created: number): void {
  const chunks = streamChunks({ text: reply.text ?? "one two three four five six" }, body, created);
  const keep = 1 + (reply.afterChunks ?? 2);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let out = "";
  for (const chunk of chunks.slice(0, keep)) out += `data: ${JSON.stringify(chunk)}\n\n`;
  // Let the client read what was sent before the connection drops.
  res.write(out, () => setImmediate(() => resetConnection(res)));
}
