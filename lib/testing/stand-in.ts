// Stand-in providers: an OpenAI-compatible server or an Anthropic Messages server with models of
// their own, each with a price (or none) and a behaviour. The answers come from the offline demo
// model (so DSPEx programs, optimizers and agents get task-like replies), written in the format the
// request asks for, or not: a model that ignores the adapter's markers writes prose unless the
// output is constrained (json_schema, json_object, a forced tool), as real models do.

import { createDemoLM } from "../dspex/demo-lm";
import { startOpenAIServer, toLMRequest } from "../dspex/testing";
import type { OpenAIServer, ServerReply } from "../dspex/testing";
import type { ChatRequestBody } from "../dspex/testing/openai-replies";
import type { LMRequest, LMResponse } from "../dspex/lm/types";
import type { PriceEntry } from "../dspex/lm/prices";
import { startAnthropicServer } from "./anthropic-server";
import type { AnthropicReply, AnthropicServer, MessagesRequest, ReceivedMessagesRequest } from "./anthropic-server";
import { blocksText } from "./anthropic-request";
import { proseOf } from "./prose";

export type StandInProtocol = "openai" | "anthropic";

/** USD per million tokens, as decimal strings. */
export interface StandInPrice {
  readonly input: string;
  readonly output: string;
  readonly cacheRead?: string;
  readonly cacheWrite?: string;
}

export interface StandInModel {
  readonly id: string;
  /** Absent: the model has no known price. */
  readonly price?: StandInPrice;
  /** "follows" (default) answers in the format asked; "ignores-markers" writes prose unless the output is constrained. */
  readonly behaviour?: "follows" | "ignores-markers";
  /** The demo model whose competence answers (default "dspex-demo-1"). */
  readonly brain?: string;
  /** Every reply waits this long first (ms). */
  readonly delayMs?: number;
  /** Calls fail with this HTTP status (429 carries retry-after) `times` times (default: always). */
  readonly fail?: { readonly status: number; readonly times?: number; readonly retryAfterSeconds?: number };
  /** OpenAI: a reasoning model (max_completion_tokens only, temperature only 1). Anthropic: extended thinking allowed. */
  readonly reasoning?: boolean;
}

/** A reply for one request instead of the model's own (undefined: the model answers). */
export type StandInScript<R> = (request: { readonly index: number; readonly model: string; readonly stream: boolean }) => R | undefined;

export interface StandInOptions {
  readonly protocol: StandInProtocol;
  readonly models: readonly StandInModel[];
  /** Required key (Bearer / x-api-key); default none. */
  readonly apiKey?: string;
  readonly port?: number;
  /** Anthropic: the smallest cacheable prefix in tokens (default 1024, as the API). */
  readonly minCacheTokens?: number;
  /** Keep every request (default true). */
  readonly record?: boolean;
}

export interface StandInRequest {
  readonly index: number;
  readonly model: string;
  readonly stream: boolean;
  /** The body as received. */
  readonly body: Readonly<Record<string, unknown>>;
}

export interface StandIn {
  readonly protocol: StandInProtocol;
  /** What a client takes as its base URL: ".../v1" for OpenAI, the origin for Anthropic (its SDK adds /v1). */
  readonly baseURL: string;
  readonly models: readonly StandInModel[];
  readonly requests: readonly StandInRequest[];
  readonly requestCount: number;
  /** Prices of the priced models as price-table overrides, for `provider` (default: the protocol). */
  priceEntries(provider?: string): PriceEntry[];
  /** Scripts single replies (faults, truncations); pass undefined to stop. */
  script(fn: StandInScript<ServerReply | AnthropicReply> | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const brain = createDemoLM({ latencyMs: 0 });
  const byId = new Map(options.models.map((m) => [m.id, m]));
  const failed = new Map<string, number>();
  let script: StandInScript<ServerReply | AnthropicReply> | undefined;

  async function think(model: StandInModel, request: LMRequest, constrained: boolean): Promise<LMResponse> {
    if (model.delayMs !== undefined && model.delayMs > 0) await new Promise((r) => setTimeout(r, model.delayMs));
    const response = await brain.complete({ ...request, model: model.brain ?? "dspex-demo-1" });
    if (model.behaviour === "ignores-markers" && !constrained) return { ...response, text: proseOf(response.text), choices: response.choices?.map(proseOf) };
    return response;
  }

  function failure(model: StandInModel): { status: number; retryAfterSeconds?: number } | undefined {
    const fail = model.fail;
    if (fail === undefined) return undefined;
    const n = failed.get(model.id) ?? 0;
    if (fail.times !== undefined && n >= fail.times) return undefined;
    failed.set(model.id, n + 1);
    return fail;
  }

  let server: { requestCount: number; close(): Promise<void>; reset(): void };
  let baseURL: string;
  let requests: () => StandInRequest[];
  if (options.protocol === "openai") {
    const s: OpenAIServer = await startOpenAIServer({
      models: options.models.map((m) => m.id),
      apiKey: options.apiKey,
      port: options.port,
      record: options.record,
      respond: async (r) => {
        const body = r.body;
        const scripted = script?.({ index: r.index, model: String(body.model), stream: body.stream === true });
        if (scripted !== undefined) return scripted as ServerReply;
        return answerOpenAI(body);
      },
    });
    server = s;
    baseURL = s.baseURL;
    requests = () => s.requests.map((r) => ({ index: r.index, model: String(r.body.model), stream: r.body.stream === true, body: r.body }));
  } else {
    const s: AnthropicServer = await startAnthropicServer({
      models: options.models.map((m) => ({ id: m.id })),
      apiKey: options.apiKey,
      port: options.port,
      record: options.record,
      minCacheTokens: options.minCacheTokens,
      respond: async (r) => {
        const scripted = script?.({ index: r.index, model: r.body.model, stream: r.body.stream === true });
        if (scripted !== undefined) return scripted as AnthropicReply;
        return answerAnthropic(r);
      },
    });
    server = s;
    baseURL = s.baseURL;
    requests = () => s.requests.map((r) => ({ index: r.index, model: r.body.model, stream: r.body.stream === true, body: r.body as unknown as Record<string, unknown> }));
  }

  async function answerOpenAI(body: ChatRequestBody): Promise<ServerReply> {
    if (typeof body.model !== "string" || body.model === "") return { type: "error", status: 400, message: "you must provide a model parameter", param: "model", code: null };
    const model = byId.get(body.model);
    if (model === undefined) {
      return { type: "error", status: 404, message: `The model \`${body.model}\` does not exist or you do not have access to it.`, code: "model_not_found" };
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return { type: "error", status: 400, message: "Invalid 'messages': empty array. Expected an array with minimum length 1.", param: "messages", code: "empty_array" };
    }
    const t = body.temperature;
    if (t !== undefined && (typeof t !== "number" || t < 0 || t > 2)) {
      return { type: "error", status: 400, message: `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${String(t)} instead.`, param: "temperature", code: "decimal_above_max_value" };
    }
    if (model.reasoning === true) {
      if (body.max_tokens !== undefined) {
        return { type: "error", status: 400, message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", param: "max_tokens", code: "unsupported_parameter" };
      }
      if (t !== undefined && t !== 1) {
        return { type: "error", status: 400, message: `Unsupported value: 'temperature' does not support ${String(t)} with this model. Only the default (1) value is supported.`, param: "temperature", code: "unsupported_value" };
      }
    }
    const fault = failure(model);
    if (fault !== undefined) {
      return fault.status === 429 ? { type: "rate-limit", retryAfterSeconds: fault.retryAfterSeconds ?? 0 } : { type: "error", status: fault.status, message: `stand-in: ${model.id} is failing on purpose` };
    }
    const request = toLMRequest(body);
    const tools = Array.isArray(body.tools) ? (body.tools as { function?: { name?: string; parameters?: Record<string, unknown> } }[]) : [];
    const forced = forcedTool(body.tool_choice, tools);
    const constrained = request.responseFormat !== undefined || forced !== undefined;
    const asked: LMRequest = forced !== undefined ? { ...request, responseFormat: { type: "json_schema", name: forced.name, schema: forced.schema } } : request;
    const r = await think(model, asked, constrained);
    const usage = { promptTokens: r.usage.inputTokens, completionTokens: r.usage.outputTokens + (model.reasoning === true ? 16 : 0), reasoningTokens: model.reasoning === true ? 16 : 0 };
    if (forced !== undefined) {
      return { text: "", toolCalls: [{ name: forced.name, arguments: r.finishReason === "length" ? r.text : jsonOrEmpty(r.text) }], finishReason: r.finishReason === "length" ? "length" : "tool_calls", usage };
    }
    return { text: r.text, ...(r.choices ? { choices: r.choices } : {}), finishReason: r.finishReason === "length" ? "length" : "stop", usage };
  }

  async function answerAnthropic(r: ReceivedMessagesRequest): Promise<AnthropicReply> {
    const model = byId.get(r.body.model) as StandInModel;
    const body = r.body;
    if (body.thinking?.type === "enabled" && model.reasoning !== true) {
      return { type: "error", status: 400, message: `'claude-thinking' is not supported with model ${model.id}` };
    }
    const fault = failure(model);
    if (fault !== undefined) {
      return fault.status === 429 ? { type: "rate-limit", retryAfterSeconds: fault.retryAfterSeconds ?? 0 } : { type: "error", status: fault.status, message: fault.status === 529 ? "Overloaded" : `stand-in: ${model.id} is failing on purpose` };
    }
    const request = anthropicToLMRequest(body);
    const choice = body.tool_choice;
    const forcedName = choice?.type === "tool" ? choice.name : choice?.type === "any" ? body.tools?.[0]?.name : undefined;
    const tool = forcedName !== undefined ? body.tools?.find((t) => t.name === forcedName) : undefined;
    const asked: LMRequest = tool !== undefined ? { ...request, responseFormat: { type: "json_schema", name: tool.name, schema: tool.input_schema } } : request;
    const answer = await think(model, asked, tool !== undefined);
    const thinking = body.thinking?.type === "enabled" ? [{ type: "thinking" as const, thinking: "The question asks for the fields in order; I read the inputs first, then answer each field.", signature: "RXN0YW5kLWluIHNpZ25hdHVyZQ==" }] : [];
    if (tool !== undefined) {
      let input: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(answer.text);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
      } catch {
        // The brain could not fill the schema: the tool is still called, with what it has.
      }
      return { content: [...thinking, { type: "tool_use", name: tool.name, input }] };
    }
    return { content: [...thinking, { type: "text", text: answer.text }] };
  }

  return {
    protocol: options.protocol,
    baseURL,
    models: options.models,
    get requests() {
      return requests();
    },
    get requestCount() {
      return server.requestCount;
    },
    priceEntries(provider = options.protocol) {
      return options.models.flatMap((m) =>
        m.price === undefined
          ? []
          : [
              {
                model: `^${escape(m.id)}$`,
                provider,
                prices: {
                  input: m.price.input,
                  output: m.price.output,
                  ...(m.price.cacheRead !== undefined && { cachedInput: m.price.cacheRead }),
                  ...(m.price.cacheWrite !== undefined && { cacheWrite: m.price.cacheWrite }),
                },
                source: "stand-in",
              },
            ],
      );
    },
    script(fn) {
      script = fn;
    },
    reset() {
      server.reset();
      failed.clear();
    },
    close: () => server.close(),
  };
}

function forcedTool(choice: unknown, tools: readonly { function?: { name?: string; parameters?: Record<string, unknown> } }[]): { name: string; schema: Record<string, unknown> } | undefined {
  const c = choice as { type?: string; function?: { name?: string } } | string | undefined;
  const name = typeof c === "object" && c?.type === "function" ? c.function?.name : c === "required" ? tools[0]?.function?.name : undefined;
  const tool = tools.find((t) => t.function?.name === name);
  return name !== undefined && tool !== undefined ? { name, schema: tool.function?.parameters ?? { type: "object" } } : undefined;
}

function jsonOrEmpty(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return "{}";
  }
}

/** The Messages request as an LMRequest for the brain (system first, blocks as text). */
export function anthropicToLMRequest(body: MessagesRequest): LMRequest {
  const system = typeof body.system === "string" ? body.system : (body.system ?? []).map((b) => b.text).join("\n");
  const messages = [
    ...(system !== "" ? [{ role: "system" as const, content: system }] : []),
    ...body.messages.map((m) => ({ role: m.role, content: blocksText(m.content) })),
  ];
  return { messages, temperature: body.temperature, ...(body.stop_sequences !== undefined && { stop: body.stop_sequences }) };
}
