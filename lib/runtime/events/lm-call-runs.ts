// Traces work that is not a served run (an optimization's trials and proposals, agents): every LM
// call becomes a run of its own with the given source, its LM call inside it, so the Runs page
// lists them (`/runs?source=optimization`) with the optimization and program they belong to.
import { randomUUID } from "node:crypto";
import type { LM, LMMiddleware, LMRequest, LMResponse, LMStreamEvent } from "../../dspex";
import type { DescribeCall } from "./call-facts";
import { createRunTracer, type EventSink, type RunTracerOptions } from "./run-tracer";

export interface CallRunScopes {
  readonly source: RunTracerOptions["source"];
  readonly programId?: string | null;
  readonly optimizationId?: string | null;
}

export function withRunPerCall(sink: EventSink, scopes: CallRunScopes, describeCall?: DescribeCall): LMMiddleware {
  return (inner: LM): LM => {
    const settle = async (request: LMRequest, startedAt: number, response?: LMResponse, error?: unknown) => {
      // The run starts and ends when the call did.
      let clock = startedAt;
      const run = createRunTracer(sink, {
        source: scopes.source,
        programId: scopes.programId ?? null,
        optimizationId: scopes.optimizationId ?? null,
        input: { model: request.model ?? inner.defaultModel ?? null, messages: request.messages.length },
        now: () => clock,
        ...(describeCall && { describeCall }),
      });
      const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
      run.recordLMCall({
        id: randomUUID(),
        provider: response?.provider ?? inner.provider,
        model: response?.model ?? request.model ?? inner.defaultModel ?? "unknown",
        messages: request.messages,
        ...(request.responseFormat && { responseFormat: request.responseFormat }),
        settings: { ...(request.model !== undefined && { model: request.model }), ...(request.temperature !== undefined && { temperature: request.temperature }), ...(request.maxTokens !== undefined && { maxTokens: request.maxTokens }) },
        ...(response && { text: response.text }),
        usage: response?.usage ?? { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
        costUsd: response?.costUsd ?? 0,
        latencyMs: response?.latencyMs ?? Math.max(0, Date.now() - startedAt),
        cacheHit: response?.cacheHit ?? false,
        retries: response?.retries ?? 0,
        adapter: "",
        attempt: 1,
        ...(message !== undefined && { error: message }),
        startedAt,
      });
      clock = startedAt + (response?.latencyMs ?? Math.max(0, Date.now() - startedAt));
      await run.finish(message === undefined ? { status: "ok", output: { text: response?.text ?? "" } } : { status: "error", error: message });
    };
    return {
      provider: inner.provider,
      defaultModel: inner.defaultModel,
      async complete(request, options) {
        const startedAt = Date.now();
        let response: LMResponse;
        try {
          response = await inner.complete(request, options);
        } catch (err) {
          await settle(request, startedAt, undefined, err).catch(() => {});
          throw err;
        }
        await settle(request, startedAt, response).catch(() => {});
        return response;
      },
      ...(inner.stream
        ? {
            stream(request, options) {
              const source = inner.stream!.bind(inner);
              return (async function* (): AsyncGenerator<LMStreamEvent> {
                const startedAt = Date.now();
                for await (const event of source(request, options)) {
                  if (event.type === "done") await settle(request, startedAt, event.response).catch(() => {});
                  yield event;
                }
              })();
            },
          }
        : {}),
    };
  };
}
