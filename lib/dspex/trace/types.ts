import type { ChatMessage, LMSettings, ResponseFormat, Usage } from "../lm/types";

/** "message": one message between agents, from its sending to its reply (or its handling, for a send). */
/** "attempt": one LM attempt of a prediction whose reply was rejected (the error says why). */
export type SpanKind = "program" | "module" | "predict" | "tool" | "evaluation" | "message" | "attempt";
export type SpanStatus = "running" | "ok" | "error";

export interface SpanStart {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentId?: string;
  /** The module's path in the program tree, e.g. "generate.predict". */
  readonly path?: string;
  readonly inputs?: unknown;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

export interface SpanEnd {
  readonly status: "ok" | "error";
  readonly outputs?: unknown;
  readonly error?: string;
}

export interface SpanRecord extends SpanStart {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  endedAt?: number;
  status: SpanStatus;
  outputs?: unknown;
  error?: string;
}

/** Everything about one call to an LM: the exact messages, the reply, tokens by kind, money, time. */
export interface LMCallRecord {
  readonly id: string;
  readonly spanId?: string;
  readonly provider: string;
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly responseFormat?: ResponseFormat;
  readonly settings: LMSettings;
  readonly text?: string;
  readonly usage: Usage;
  /** Dollars; 0 with priceUnknown set when the model has no known price (the cost is not known, not zero). */
  readonly costUsd: number;
  /** Set when the call was made but its model has no known price. */
  readonly priceUnknown?: true;
  readonly latencyMs: number;
  readonly cacheHit: boolean;
  readonly retries: number;
  /** Which adapter built the messages, and which attempt this was (1-based). */
  readonly adapter: string;
  readonly attempt: number;
  /** Why the reply of this attempt was not used (unparseable, invalid, cut off); the next attempt follows. */
  readonly rejected?: string;
  readonly error?: string;
  readonly startedAt: number;
}

/** Receives spans and LM calls as a program runs. Implementations must be cheap: this is the hot path. */
export interface Tracer {
  startSpan(start: SpanStart): string;
  endSpan(id: string, end: SpanEnd): void;
  recordLMCall(call: LMCallRecord): void;
  /** Optional: takes a span finished elsewhere (another process) whole, with its own id and times. */
  recordSpan?(span: SpanRecord): void;
}
