// Whatever the SDK throws -> an LMError with a stable code, the HTTP status, the wait a 429 asked
// for, and a message naming provider, model, what happened and what to do about it.

import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from "openai";
import { DspexError, LMError } from "../errors";

export interface CallFacts {
  readonly provider: string;
  readonly model: string;
  readonly baseURL: string;
  /** HTTP attempts made (1 + retries). */
  readonly attempts: number;
  readonly timeoutMs: number;
  /** Text already received when a stream broke. */
  readonly streamedChars?: number;
}

export function toLMError(error: unknown, facts: CallFacts): DspexError {
  if (error instanceof DspexError) return error;
  const who = `${facts.provider} "${facts.model}"`;
  const tries = facts.attempts === 1 ? "1 attempt" : `${facts.attempts} attempts`;
  const details = { provider: facts.provider, model: facts.model };
  const cause = { cause: error };

  if (error instanceof APIUserAbortError) {
    return new DspexError("ABORTED", `${who}: the call was aborted by the caller's signal`, cause);
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new LMError("LM_TIMEOUT", `${who}: no reply within ${facts.timeoutMs} ms (${tries}); raise timeoutMs or check ${facts.baseURL}`, details, cause);
  }
  if (error instanceof APIConnectionError) {
    const why = error.cause instanceof Error ? `${error.cause.message}${causeCode(error.cause)}` : error.message;
    return new LMError("LM_ERROR", `${who}: could not reach ${facts.baseURL} (${tries}): ${why}; check that the server is running and the baseURL is right`, details, cause);
  }
  if (error instanceof APIError && typeof error.status === "number") return statusError(error, who, tries, facts);
  if (error instanceof SyntaxError) {
    return new LMError("LM_BAD_RESPONSE", `${who}: the reply is not valid JSON (${error.message}); the server at ${facts.baseURL} is not speaking the OpenAI protocol`, details, cause);
  }
  if (facts.streamedChars !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof OpenAIError) {
      return new LMError("LM_BAD_RESPONSE", `${who}: unreadable stream event after ${facts.streamedChars} characters: ${message}`, details, cause);
    }
    return new LMError("LM_ERROR", `${who}: the stream broke after ${facts.streamedChars} characters of text: ${message}${causeCode(error)}`, details, cause);
  }
  if (error instanceof OpenAIError) {
    return new LMError("LM_BAD_RESPONSE", `${who}: ${error.message}`, details, cause);
  }
  const message = error instanceof Error ? `${error.message}${causeCode(error)}` : String(error);
  return new LMError("LM_ERROR", `${who}: the call failed while reading the reply: ${message}`, details, cause);
}

function statusError(error: APIError, who: string, tries: string, facts: CallFacts): LMError {
  const status = error.status as number;
  const said = providerMessage(error);
  const base = { provider: facts.provider, model: facts.model, status };
  const cause = { cause: error };
  if (status === 429) {
    const retryAfterMs = retryAfter(error.headers);
    const wait = retryAfterMs !== undefined ? `; the provider asks to wait ${retryAfterMs} ms` : "";
    return new LMError(
      "LM_RATE_LIMITED",
      `${who}: rate limited (HTTP 429) after ${tries}${wait}: ${said}; lower the request rate or raise maxRetries`,
      retryAfterMs !== undefined ? { ...base, retryAfterMs } : base,
      cause,
    );
  }
  if (status === 408 || status === 504) {
    return new LMError("LM_TIMEOUT", `${who}: the provider timed out (HTTP ${status}) after ${tries}: ${said}`, base, cause);
  }
  if (status === 401 || status === 403) {
    return new LMError("LM_ERROR", `${who}: the key was refused (HTTP ${status}): ${said}; check the apiKey passed for this provider`, base, cause);
  }
  if (status === 404) {
    return new LMError("LM_ERROR", `${who}: not found (HTTP 404): ${said}; check the model name and that ${facts.baseURL} is right`, base, cause);
  }
  if (status >= 500) {
    return new LMError("LM_ERROR", `${who}: server error (HTTP ${status}) after ${tries}: ${said}`, base, cause);
  }
  return new LMError("LM_ERROR", `${who}: the request was refused (HTTP ${status}): ${said}`, base, cause);
}

function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message === "string" && body.message !== "") return body.message;
  const text = error.message.replace(/^\d{3}\s*/, "");
  return text === "" || text === "status code (no body)" ? "no details given" : text;
}

/** The wait a 429 asked for: retry-after-ms, retry-after in seconds, or an HTTP date measured against the reply's Date. */
export function retryAfter(headers: Headers | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  const now = Date.parse(headers.get("date") ?? "");
  return Number.isFinite(at) && Number.isFinite(now) ? Math.max(0, at - now) : undefined;
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? ` (${cause.code})` : "";
}
