// createOpenAILM: an LM over the official openai SDK for every OpenAI-compatible provider. One SDK
// client per LM (never per call); each call adapts the request to the provider profile, measures
// latency, counts the SDK's retries, and turns failures into LMErrors.

import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type OpenAI from "openai";
import { LMError } from "../errors";
import { ATTEMPTS, createSdkClient, DEFAULT_TIMEOUT_MS, retryUnreadable } from "./openai-client";
import type { AttemptTracker, OpenAILMOptions } from "./openai-client";
import { toLMError } from "./openai-errors";
import { buildChatParams, modelTraits } from "./openai-request";
import type { ModelTraits } from "./openai-request";
import { readReply } from "./openai-response";
import type { ReplyParts } from "./openai-response";
import { ChunkAccumulator } from "./openai-stream";
import { resolveProviderProfile } from "./profiles";
import { estimateUsage } from "./token-estimate";
import { addUsage } from "./types";
import type { LM, LMCallOptions, LMRequest, LMResponse, LMStreamEvent } from "./types";

export type { OpenAILMOptions } from "./openai-client";

const TRAITS_LIMIT = 1024;

type RequestOptions = NonNullable<Parameters<OpenAI["chat"]["completions"]["create"]>[1]>;

export function createOpenAILM(options: OpenAILMOptions = {}): LM {
  const profile = resolveProviderProfile(options.provider ?? "openai", options.profile);
  const { client, baseURL } = createSdkClient(options, profile);
  const completions = client.chat.completions;
  const provider = options.providerName ?? profile.name;
  const defaultModel = options.model ?? options.deployment;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => performance.now());
  const maxRetries = options.maxRetries ?? 2;
  const traitsByModel = new Map<string, ModelTraits>();

  function traitsOf(model: string): ModelTraits {
    let traits = traitsByModel.get(model);
    if (traits === undefined) {
      if (traitsByModel.size >= TRAITS_LIMIT) traitsByModel.clear();
      traits = modelTraits(profile, model);
      traitsByModel.set(model, traits);
    }
    return traits;
  }

  function modelOf(request: LMRequest): string {
    const model = request.model ?? defaultModel;
    if (model === undefined || model === "") {
      throw new LMError(
        "LM_NOT_CONFIGURED",
        `${provider}: the request names no model and the LM has no default; set request.model or createOpenAILM({ model })`,
        { provider },
      );
    }
    return model;
  }

  function callOptions(options: LMCallOptions | undefined, tracker: AttemptTracker): RequestOptions {
    // The SDK spreads fetchOptions into the init it hands to fetch, where countingFetch finds the tracker.
    const fetchOptions = { [ATTEMPTS]: tracker } as NonNullable<RequestOptions["fetchOptions"]>;
    if (options === undefined) return { fetchOptions };
    const timeout = options.timeoutMs !== undefined ? Math.max(1, Math.ceil(options.timeoutMs)) : undefined;
    return { fetchOptions, ...(options.signal !== undefined && { signal: options.signal }), ...(timeout !== undefined && { timeout }) };
  }

  function facts(model: string, tracker: AttemptTracker, options: LMCallOptions | undefined, streamedChars?: number) {
    const timeoutMs = options?.timeoutMs ?? defaultTimeout;
    return { provider, model, baseURL, attempts: Math.max(1, tracker.attempts), timeoutMs, streamedChars };
  }

  async function toResponse(parts: ReplyParts, request: LMRequest, model: string, started: number, tracker: AttemptTracker): Promise<LMResponse> {
    let usage = parts.usage;
    const estimated = usage === undefined;
    if (usage === undefined) usage = await estimateUsage(request.messages, parts.choices ?? [parts.text], parts.toolCalls);
    const response: {
      -readonly [K in keyof LMResponse]: LMResponse[K];
    } = {
      text: parts.text,
      finishReason: parts.finishReason,
      usage,
      provider,
      model: parts.model ?? model,
      cacheHit: false,
      latencyMs: now() - started,
      retries: tracker.attempts > 1 ? tracker.attempts - 1 : 0,
    };
    if (parts.choices !== undefined) response.choices = parts.choices;
    if (parts.toolCalls !== undefined) response.toolCalls = parts.toolCalls;
    if (estimated) response.usageEstimated = true;
    return response;
  }

  async function completeOne(request: LMRequest, model: string, n: number, options: LMCallOptions | undefined): Promise<LMResponse> {
    const started = now();
    const tracker: AttemptTracker = { attempts: 0 };
    const params = buildChatParams(request, model, profile, traitsOf(model), n, false);
    const parts = await retryUnreadable(maxRetries, options?.signal, async () => {
      let body: unknown;
      try {
        body = await completions.create(params as unknown as ChatCompletionCreateParamsNonStreaming, callOptions(options, tracker));
      } catch (error) {
        throw toLMError(error, facts(model, tracker, options));
      }
      try {
        return readReply(body, { provider, model });
      } catch (error) {
        throw toLMError(error, facts(model, tracker, options));
      }
    });
    return toResponse(parts, request, model, started, tracker);
  }

  /** n > 1 on a provider without `n`: n single-choice requests in parallel, merged. */
  async function fanOut(request: LMRequest, model: string, n: number, options: LMCallOptions | undefined): Promise<LMResponse[]> {
    return Promise.all(Array.from({ length: n }, () => completeOne(request, model, 1, options)));
  }

  async function complete(request: LMRequest, options?: LMCallOptions): Promise<LMResponse> {
    const model = modelOf(request);
    const n = request.n ?? 1;
    if (n <= 1 || profile.multipleChoices) return completeOne(request, model, n, options);
    const started = now();
    return mergeChoices(await fanOut(request, model, n, options), now() - started);
  }

  async function* stream(request: LMRequest, options?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
    const model = modelOf(request);
    const wanted = request.n ?? 1;
    const emulate = wanted > 1 && !profile.multipleChoices;
    const extras = emulate ? fanOut(request, model, wanted - 1, options) : undefined;
    extras?.catch(() => undefined); // awaited below; never an unhandled rejection
    const started = now();
    const tracker: AttemptTracker = { attempts: 0 };
    const params = buildChatParams(request, model, profile, traitsOf(model), emulate ? 1 : wanted, true);
    const acc = new ChunkAccumulator();
    let chunks: AsyncIterable<unknown>;
    try {
      chunks = await completions.create(params as unknown as ChatCompletionCreateParamsStreaming, callOptions(options, tracker));
    } catch (error) {
      throw toLMError(error, facts(model, tracker, options));
    }
    try {
      for await (const chunk of chunks) {
        const delta = acc.add(chunk);
        if (delta !== "") yield { type: "text", delta };
      }
    } catch (error) {
      throw toLMError(error, facts(model, tracker, options, acc.chars));
    }
    const first = await toResponse(acc.parts(), request, model, started, tracker);
    const response = extras === undefined ? first : mergeChoices([first, ...(await extras)], now() - started);
    yield { type: "done", response };
  }

  return { provider, defaultModel, complete, stream };
}

function mergeChoices(responses: readonly LMResponse[], latencyMs: number): LMResponse {
  const first = responses[0] as LMResponse;
  let usage = first.usage;
  let retries = first.retries ?? 0;
  let estimated = first.usageEstimated === true;
  for (let i = 1; i < responses.length; i++) {
    const r = responses[i] as LMResponse;
    usage = addUsage(usage, r.usage);
    retries += r.retries ?? 0;
    estimated ||= r.usageEstimated === true;
  }
  return {
    ...first,
    choices: responses.map((r) => r.text),
    usage,
    latencyMs,
    retries,
    ...(estimated && { usageEstimated: true }),
  };
}
