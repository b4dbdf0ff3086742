// Records every LM call made through an LM as `lmcall:recorded`, for work that is not a traced
// run (an optimization's evaluations and proposals): the Costs page and budgets see its spend.
import { randomUUID } from "node:crypto";
import type { LM, LMMiddleware, LMRequest, LMResponse, LMStreamEvent } from "../../dspex";
import type { EventSink } from "./run-tracer";
import { jsonSafe } from "./json-safe";
import { asSeen, type DescribeCall } from "./call-facts";

export interface LMCallScopes {
  readonly programId?: string | null;
  readonly optimizationId?: string | null;
  readonly apiKeyId?: string | null;
}

export function withLMCallRecording(sink: EventSink, scopes: LMCallScopes, onError: (err: unknown) => void = () => {}, describeCall: DescribeCall = asSeen): LMMiddleware {
  return (inner: LM): LM => {
    const record = (request: LMRequest, startedAt: number, response?: LMResponse, error?: unknown) => {
      const message = error === undefined ? null : error instanceof Error ? error.message : String(error);
      const facts = describeCall({
        provider: response?.provider ?? inner.provider,
        model: response?.model ?? request.model ?? inner.defaultModel ?? "unknown",
        cacheHit: response?.cacheHit ?? false,
        error: message,
        cause: error,
      });
      sink
        .emit("lmcall:recorded", {
          id: randomUUID(),
          runId: null,
          spanId: null,
          programId: scopes.programId ?? null,
          apiKeyId: scopes.apiKeyId ?? null,
          optimizationId: scopes.optimizationId ?? null,
          provider: facts.provider,
          model: facts.model,
          priceUnknown: facts.priceUnknown,
          refused: facts.refused,
          usage: response?.usage ?? { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
          costUsd: response?.costUsd ?? 0,
          latencyMs: Math.max(0, Date.now() - startedAt),
          cacheHit: response?.cacheHit ?? false,
          retries: response?.retries ?? 0,
          adapter: null,
          attempt: null,
          error: message,
          request: jsonSafe({ messages: request.messages, responseFormat: request.responseFormat }),
          response: response ? jsonSafe({ text: response.text }) : undefined,
          at: new Date(startedAt).toISOString(),
        })
        .catch(onError);
    };
    return {
      provider: inner.provider,
      defaultModel: inner.defaultModel,
      async complete(request, options) {
        const startedAt = Date.now();
        try {
          const response = await inner.complete(request, options);
          record(request, startedAt, response);
          return response;
        } catch (err) {
          record(request, startedAt, undefined, err);
          throw err;
        }
      },
      ...(inner.stream
        ? {
            stream(request, options) {
              const source = inner.stream!.bind(inner);
              return (async function* (): AsyncGenerator<LMStreamEvent> {
                const startedAt = Date.now();
                for await (const event of source(request, options)) {
                  if (event.type === "done") record(request, startedAt, event.response);
                  yield event;
                }
              })();
            },
          }
        : {}),
    };
  };
}
