// createAnthropicLM: an LM over the official Anthropic SDK (Messages API). One SDK client per LM;
// each call builds the Messages request (system prompt, alternating turns, a forced tool for
// structured output, prompt-cache marks, extended thinking), counts the SDK's attempts, and reads
// usage by kind: input, cache read, cache write, output, thinking.

import Anthropic, * as AnthropicSdk from "@anthropic-ai/sdk";
import { DspexError, LMError } from "../errors";
import { buildMessagesParams } from "./anthropic-params";
import type { AnthropicParamsOptions } from "./anthropic-params";
import { MessageAccumulator, readAnthropicUsage, readMessage } from "./anthropic-reply";
import { ATTEMPTS, countingFetch, DEFAULT_TIMEOUT_MS, providerFetch, retryUnreadable } from "./openai-client";
import type { AttemptTracker } from "./openai-client";
import { toLMError } from "./openai-errors";
import type { SdkErrors } from "./openai-errors";
import { countTokens, estimateUsage } from "./token-estimate";
import { addUsage } from "./types";
import type { LM, LMCallOptions, LMRequest, LMResponse, LMStreamEvent } from "./types";

export interface AnthropicLMOptions {
  /** Required (the API refuses calls without one). */
  readonly apiKey?: string;
  /** Default "https://api.anthropic.com" (the SDK adds /v1/messages). */
  readonly baseURL?: string;
  /** The model used when a request names none. */
  readonly model?: string;
  /** max_tokens when a request sets none (the API requires one); default 4096. */
  readonly defaultMaxTokens?: number;
  /** Mark the system prompt and the demos for prompt caching; default true. */
  readonly promptCaching?: boolean;
  /** Models that take extended thinking (a request's reasoningEffort sets the budget); default Claude 3.7 and every Claude 4. */
  readonly thinkingModels?: RegExp;
  /** Name reported as `provider`; default "anthropic". */
  readonly providerName?: string;
  /** SDK retries on 408/409/429/5xx/529/connection errors, honouring retry-after; default 2. */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
const THINKING_MODELS = /claude-(?:3-7|sonnet-4|opus-4|haiku-4|[a-z]+-4|4)/;

const ANTHROPIC_ERRORS: SdkErrors = {
  protocol: "Anthropic Messages",
  APIUserAbortError: AnthropicSdk.APIUserAbortError,
  APIConnectionTimeoutError: AnthropicSdk.APIConnectionTimeoutError,
  APIConnectionError: AnthropicSdk.APIConnectionError,
  APIError: AnthropicSdk.APIError,
  BaseError: AnthropicSdk.AnthropicError,
};

type CreateOptions = NonNullable<Parameters<Anthropic["messages"]["create"]>[1]>;

export function createAnthropicLM(options: AnthropicLMOptions = {}): LM {
  const provider = options.providerName ?? "anthropic";
  if (!options.apiKey) {
    throw new LMError("LM_NOT_CONFIGURED", `createAnthropicLM: provider "${provider}" needs an API key; pass createAnthropicLM({ apiKey }) or set ANTHROPIC_API_KEY`, { provider });
  }
  const maxRetries = options.maxRetries ?? 2;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new DspexError("OPTION_INVALID", `createAnthropicLM: maxRetries is ${maxRetries}; pass a whole number >= 0`);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new DspexError("OPTION_INVALID", `createAnthropicLM: timeoutMs is ${timeout}; pass a whole number of milliseconds > 0`);
  const baseURL = options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL;
  // Every setting explicit: the SDK would otherwise read ANTHROPIC_* variables and profile files.
  const client = new Anthropic({
    apiKey: options.apiKey,
    authToken: null,
    baseURL,
    maxRetries,
    timeout,
    fetch: countingFetch(options.fetch ?? providerFetch()),
    defaultHeaders: options.headers,
    logLevel: "warn",
  });
  const paramsOptions: AnthropicParamsOptions = {
    defaultMaxTokens: options.defaultMaxTokens ?? 4096,
    promptCaching: options.promptCaching ?? true,
    thinkingModels: options.thinkingModels ?? THINKING_MODELS,
  };
  const defaultModel = options.model;
  const now = options.now ?? (() => performance.now());

  function modelOf(request: LMRequest): string {
    const model = request.model ?? defaultModel;
    if (model === undefined || model === "") {
      throw new LMError("LM_NOT_CONFIGURED", `${provider}: the request names no model and the LM has no default; set request.model or createAnthropicLM({ model })`, { provider });
    }
    return model;
  }

  function callOptions(call: LMCallOptions | undefined, tracker: AttemptTracker): CreateOptions {
    const fetchOptions = { [ATTEMPTS]: tracker } as NonNullable<CreateOptions["fetchOptions"]>;
    const t = call?.timeoutMs !== undefined ? Math.max(1, Math.ceil(call.timeoutMs)) : undefined;
    return { fetchOptions, ...(call?.signal !== undefined && { signal: call.signal }), ...(t !== undefined && { timeout: t }) };
  }

  const facts = (model: string, tracker: AttemptTracker, call: LMCallOptions | undefined, streamedChars?: number) => ({
    provider,
    model,
    baseURL,
    attempts: Math.max(1, tracker.attempts),
    timeoutMs: call?.timeoutMs ?? timeout,
    streamedChars,
  });

  async function toResponse(body: unknown, request: LMRequest, model: string, started: number, tracker: AttemptTracker): Promise<LMResponse> {
    const structured = request.responseFormat !== undefined;
    const parts = readMessage(body, { provider, model }, structured);
    const thinkingTokens = await countTokens(parts.thinking);
    let usage = readAnthropicUsage(parts.rawUsage, thinkingTokens);
    const estimated = usage === undefined;
    usage ??= await estimateUsage(request.messages, [parts.text, parts.thinking], parts.toolCalls);
    return {
      text: parts.text,
      ...(parts.toolCalls !== undefined && { toolCalls: parts.toolCalls }),
      finishReason: parts.finishReason,
      usage,
      provider,
      model: parts.model ?? model,
      cacheHit: false,
      latencyMs: now() - started,
      retries: Math.max(0, tracker.attempts - 1),
      ...(estimated && { usageEstimated: true }),
    };
  }

  async function completeOne(request: LMRequest, model: string, call: LMCallOptions | undefined): Promise<LMResponse> {
    const started = now();
    const tracker: AttemptTracker = { attempts: 0 };
    const params = buildMessagesParams(request, model, paramsOptions, false);
    return retryUnreadable(maxRetries, call?.signal, async () => {
      let body: unknown;
      try {
        body = await client.messages.create(params as unknown as AnthropicSdk.Anthropic.MessageCreateParamsNonStreaming, callOptions(call, tracker));
      } catch (error) {
        throw toLMError(error, facts(model, tracker, call), ANTHROPIC_ERRORS);
      }
      try {
        return await toResponse(body, request, model, started, tracker);
      } catch (error) {
        throw toLMError(error, facts(model, tracker, call), ANTHROPIC_ERRORS);
      }
    });
  }

  async function complete(request: LMRequest, call?: LMCallOptions): Promise<LMResponse> {
    const model = modelOf(request);
    const n = request.n ?? 1;
    if (n <= 1) return completeOne(request, model, call);
    // The API returns one message per call: n samples are n calls.
    const started = now();
    const all = await Promise.all(Array.from({ length: n }, () => completeOne(request, model, call)));
    const first = all[0] as LMResponse;
    return {
      ...first,
      choices: all.map((r) => r.text),
      usage: all.slice(1).reduce((u, r) => addUsage(u, r.usage), first.usage),
      retries: all.reduce((sum, r) => sum + (r.retries ?? 0), 0),
      latencyMs: now() - started,
    };
  }

  async function* stream(request: LMRequest, call?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
    const model = modelOf(request);
    if ((request.n ?? 1) > 1) {
      const response = await complete(request, call);
      if (response.text !== "") yield { type: "text", delta: response.text };
      yield { type: "done", response };
      return;
    }
    const started = now();
    const tracker: AttemptTracker = { attempts: 0 };
    const params = buildMessagesParams(request, model, paramsOptions, true);
    const structured = request.responseFormat !== undefined;
    const acc = new MessageAccumulator();
    let events: AsyncIterable<unknown>;
    try {
      events = await client.messages.create(params as unknown as AnthropicSdk.Anthropic.MessageCreateParamsStreaming, callOptions(call, tracker));
    } catch (error) {
      throw toLMError(error, facts(model, tracker, call), ANTHROPIC_ERRORS);
    }
    try {
      for await (const event of events) {
        const delta = acc.add(event, structured);
        if (delta !== "") yield { type: "text", delta };
      }
    } catch (error) {
      throw toLMError(error, facts(model, tracker, call, acc.chars), ANTHROPIC_ERRORS);
    }
    yield { type: "done", response: await toResponse(acc.message(), request, model, started, tracker) };
  }

  return { provider, defaultModel, complete, stream };
}
