// Typed errors of the resource layer. Each has a stable `code`, structured fields, and a message
// that names the provider, model or budget at fault, the numbers involved and what to do.
import { CodedError } from "../../errors";

import { DspexError } from "../../dspex";

export type ResourceErrorCode = "RATE_LIMITED" | "CONCURRENCY_LIMITED" | "CIRCUIT_OPEN" | "TIMEOUT" | "OPTION_INVALID";

/** Root of the resource layer's own errors (budget refusals are DspexErrors; see BudgetLimitExceededError). */
export class ResourceError extends CodedError<ResourceErrorCode> {}

export type RateLimitedReason = "wait-exceeded" | "too-large" | "queue-full";

/** The local rate limiter could not admit a call: it waited too long, the call can never fit, or the queue is full. */
export class RateLimitedError extends ResourceError {
  constructor(
    message: string,
    readonly details: {
      readonly reason: RateLimitedReason;
      readonly provider: string;
      readonly model?: string;
      /** Time spent waiting in the queue. */
      readonly waitedMs: number;
      /** The limiter's own estimate of when capacity frees (when known). */
      readonly retryAfterMs?: number;
    },
  ) {
    super("RATE_LIMITED", message);
  }
}

/** No concurrency slot for the provider came free within the wait allowed, or its queue is full. */
export class ConcurrencyLimitedError extends ResourceError {
  constructor(
    message: string,
    readonly details: { readonly provider: string; readonly maxConcurrent: number; readonly waitedMs: number },
  ) {
    super("CONCURRENCY_LIMITED", message);
  }
}

/** The provider's (or job's) circuit breaker is open: the call failed fast without being sent. */
export class CircuitOpenError extends ResourceError {
  constructor(
    message: string,
    readonly details: { readonly key: string; readonly failures: number; readonly retryAfterMs: number },
    options?: { cause?: unknown },
  ) {
    super("CIRCUIT_OPEN", message, options);
  }
}

/** A background job (a plain async function) ran past its timeout. LM calls time out as LMError LM_TIMEOUT. */
export class JobTimeoutError extends ResourceError {
  constructor(
    message: string,
    readonly details: { readonly job: string; readonly timeoutMs: number },
  ) {
    super("TIMEOUT", message);
  }
}

/** An option that cannot be used: names the component, the option, the value received and what it accepts. */
export class ResourceOptionError extends ResourceError {
  constructor(
    readonly component: string,
    readonly option: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super("OPTION_INVALID", `${component}: option "${option}" ${expected} (got ${preview(received)})`);
  }
}

export type BudgetScope = "global" | "program" | "optimization" | "apiKey";
export type BudgetPeriod = "day" | "month" | "total";

/**
 * A budget refused an LM call: spent (recorded, plus reservations of calls in flight) and this
 * call's estimate would pass the limit. A DspexError with code BUDGET_EXCEEDED, so the framework's
 * optimizers stop on it as they do on their own budget.
 */
export class BudgetLimitExceededError extends DspexError {
  constructor(
    readonly details: {
      readonly scope: BudgetScope;
      readonly scopeId: string;
      readonly period: BudgetPeriod;
      readonly windowStart: Date;
      readonly limitUsd: number;
      /** Recorded spend plus reservations of calls in flight, in this window. */
      readonly spentUsd: number;
      readonly estimateUsd: number;
    },
  ) {
    const who = details.scope === "global" ? "global budget" : `${details.scope} "${details.scopeId}" budget`;
    const window = { day: `for the UTC day starting ${details.windowStart.toISOString().slice(0, 10)}`, month: `for the UTC month starting ${details.windowStart.toISOString().slice(0, 7)}`, total: "in total" }[details.period];
    const fix = details.period === "total" ? "raise the limit" : `raise the limit or wait for the next UTC ${details.period}`;
    super(
      "BUDGET_EXCEEDED",
      `${who} (${details.period}): limit $${fmt(details.limitUsd)} ${window}, spent $${fmt(details.spentUsd)} (reservations of calls in flight included); this call is estimated at $${fmt(details.estimateUsd)} and would pass the limit; ${fix}`,
    );
  }
}

/** A money budget applies and the call's model has no price: its cost could not be held to the limit. */
export class BudgetPriceUnknownError extends DspexError {
  constructor(readonly details: { readonly scope: BudgetScope; readonly scopeId: string; readonly period: BudgetPeriod; readonly model: string; readonly provider: string }) {
    const who = details.scope === "global" ? "global budget" : `${details.scope} "${details.scopeId}" budget`;
    super(
      "BUDGET_EXCEEDED",
      `${who} (${details.period}): refuses model "${details.model}" (provider "${details.provider}") because its price is unknown, so the call's cost cannot be held to the limit; set its price in Settings → Prices (a price of 0 marks it free) or in code with prices.withOverrides`,
    );
  }
}

function fmt(usd: number): string {
  return usd.toFixed(9).replace(/0+$/, "").replace(/\.$/, "");
}

export function preview(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
