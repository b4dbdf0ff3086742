// Which failures are worth a retry, which count against a circuit breaker, and how long a
// provider asked us to wait.

import { DspexError, LMError } from "../../dspex";
import { ResourceError } from "./errors";

/** Network failures (errno codes) a retry can get past. */
const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
/** HTTP statuses a retry can get past: timeout, conflict (lock), too early, rate limit, and every 5xx. */
const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/** The wait a provider asked for (Retry-After), from `LMError.details.retryAfterMs`. */
export function retryAfterMsOf(error: unknown): number | undefined {
  if (error instanceof LMError) return error.details.retryAfterMs;
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof LMError) return error.details.status;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function errnoOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * True for transient failures: HTTP 408/409/425/429 and 5xx, timeouts (LM_TIMEOUT, a job's
 * TIMEOUT), connection failures (LM_ERROR without a status, or an errno such as ECONNRESET).
 * False for everything the caller must fix or that was refused on purpose: other 4xx, bad
 * replies, aborts, budget refusals, open circuits, local rate/concurrency limits.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ResourceError) return error.code === "TIMEOUT";
  if (error instanceof LMError) {
    if (error.code === "LM_RATE_LIMITED" || error.code === "LM_TIMEOUT") return true;
    if (error.code !== "LM_ERROR") return false;
    const status = error.details.status;
    return status === undefined || status >= 500 || RETRYABLE_STATUS.has(status);
  }
  if (error instanceof DspexError) return false;
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || RETRYABLE_STATUS.has(status);
  return errnoOf(error) !== undefined;
}

/**
 * True when a failure says the provider is unwell and should count against its circuit breaker:
 * 5xx, timeouts, connection failures and unreadable replies. A 429 (the provider is up and asks us
 * to slow down), other 4xx, aborts and the resource layer's own refusals do not count.
 */
export function isProviderFailure(error: unknown): boolean {
  if (error instanceof ResourceError) return error.code === "TIMEOUT";
  if (error instanceof LMError) {
    if (error.code === "LM_TIMEOUT" || error.code === "LM_BAD_RESPONSE") return true;
    if (error.code !== "LM_ERROR") return false;
    const status = error.details.status;
    return status === undefined || status >= 500 || status === 408;
  }
  if (error instanceof DspexError) return false;
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 408;
  return errnoOf(error) !== undefined;
}

/** For background jobs: any failure except aborts and the resource layer's own refusals counts. */
export function isJobFailure(error: unknown): boolean {
  if (error instanceof ResourceError) return error.code === "TIMEOUT";
  if (error instanceof LMError) return isProviderFailure(error);
  if (error instanceof DspexError) return error.code !== "ABORTED" && error.code !== "BUDGET_EXCEEDED";
  return !(error instanceof Error && error.name === "AbortError");
}
