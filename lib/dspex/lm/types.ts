// The LM interface: one request shape, one response shape, and middleware that wraps an LM in
// another LM (cache, cost meter; the runtime adds rate limits, breakers and budgets the same way).

export type Role = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the model wrote them (JSON text). */
  readonly arguments: string;
}

export interface ChatMessage {
  readonly role: Role;
  readonly content: string;
  readonly name?: string;
  /** For role "tool": the call this message answers. */
  readonly toolCallId?: string;
  /** For role "assistant": tool calls the model made. */
  readonly toolCalls?: readonly ToolCall[];
}

export type JsonSchema = { readonly [key: string]: unknown };

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON schema of the arguments object. */
  readonly parameters: JsonSchema;
}

export type ResponseFormat =
  | { readonly type: "json_schema"; readonly name: string; readonly schema: JsonSchema; readonly strict?: boolean }
  | { readonly type: "json_object" };

export type ReasoningEffort = "minimal" | "low" | "medium" | "high";

/** Per-predictor LM settings: every one is readable and replaceable, and a variable to tune. */
export interface LMSettings {
  readonly model?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  readonly reasoningEffort?: ReasoningEffort;
}

export interface LMRequest extends LMSettings {
  readonly messages: readonly ChatMessage[];
  readonly responseFormat?: ResponseFormat;
  readonly tools?: readonly ToolSpec[];
  /** Number of completions to sample (choices); default 1. */
  readonly n?: number;
  /**
   * Identifies one sample. Part of the cache key: the same request with another rollout id is a
   * fresh sample, which optimizers need when they ask the same question several times.
   */
  readonly rolloutId?: string;
}

/** Token counts by kind. inputTokens includes cached and cache-write tokens; outputTokens includes reasoning tokens. */
export interface Usage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

export interface LMResponse {
  /** The text of the first choice. */
  readonly text: string;
  /** Every choice's text when n > 1 (choices[0] === text). */
  readonly choices?: readonly string[];
  readonly toolCalls?: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  readonly provider: string;
  readonly model: string;
  /** True when the cache answered; such a response cost nothing. */
  readonly cacheHit: boolean;
  /** Set by the cost meter; undefined when no meter is in the chain or no price is known. */
  readonly costUsd?: number;
  readonly latencyMs: number;
  /** How many times the request was retried before this response. */
  readonly retries?: number;
  /** True when the provider sent no usage and the token counts were estimated with a tokenizer. */
  readonly usageEstimated?: boolean;
}

export type LMStreamEvent = { readonly type: "text"; readonly delta: string } | { readonly type: "done"; readonly response: LMResponse };

/**
 * Who is waiting for a call: a person or a client (serving, the playground) or work in the
 * background (optimizations, agents). Rate and concurrency limits let interactive calls go first.
 */
export type LMCallPriority = "interactive" | "background";

export interface LMCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Default "interactive". */
  readonly priority?: LMCallPriority;
}

export interface LM {
  /** Provider name for traces and prices, e.g. "openai", "ollama", "demo". */
  readonly provider: string;
  /** The model used when a request names none. */
  readonly defaultModel?: string;
  complete(request: LMRequest, options?: LMCallOptions): Promise<LMResponse>;
  /** Streams the first choice's text; ends with one "done" event carrying the full response. */
  stream?(request: LMRequest, options?: LMCallOptions): AsyncIterable<LMStreamEvent>;
}

/** True for the offline demo model (a simulator, provider "demo"): results on it say nothing about a real model. */
export function isDemoLM(lm: LM): boolean {
  return lm.provider === "demo";
}

/** Wraps an LM in another with one added concern. */
export type LMMiddleware = (inner: LM) => LM;

/** `composeLM(base, a, b)` is `b(a(base))`: the last middleware sees each call first. */
export function composeLM(base: LM, ...middlewares: readonly LMMiddleware[]): LM {
  return middlewares.reduce<LM>((lm, wrap) => wrap(lm), base);
}

export const EMPTY_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}
