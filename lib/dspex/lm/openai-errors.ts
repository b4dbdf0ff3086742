// Whatever an SDK throws -> an LMError with a stable code, the HTTP status, the wait a 429 asked
// for, and a message naming provider, model, what happened and what to do about it. The openai and
// Anthropic SDKs share their error classes' shapes (both are generated the same way); each passes
// its own classes.

import * as OpenAISdk from "openai";
import { DspexError, LMError } from "../errors";

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes of one SDK. */
export interface SdkErrors {
  /** The protocol the server should speak, for messages ("OpenAI", "Anthropic Messages"). */
  readonly protocol: string;
  readonly APIUserAbortError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIError: ErrorClass;
  /** The SDK's base error class. */
  readonly BaseError: ErrorClass;
}

interface HttpError extends Error {
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  readonly error: unknown;
}

const OPENAI_ERRORS: SdkErrors = {
  protocol: "OpenAI",
  APIUserAbortError: OpenAISdk.APIUserAbortError,
  APIConnectionTimeoutError: OpenAISdk.APIConnectionTimeoutError,
  APIConnectionError: OpenAISdk.APIConnectionError,
  APIError: OpenAISdk.APIError,
  BaseError: OpenAISdk.OpenAIError,
};

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

export function toLMError(error: unknown, facts: CallFacts, sdk: SdkErrors = OPENAI_ERRORS): DspexError {
  const mapped = mapError(error, facts, sdk);
  const retries = Math.max(0, facts.attempts - 1);
  // The retries made count, whatever failed in the end.
  if (!(mapped instanceof LMError) || mapped.details.retries === retries) return mapped;
  return new LMError(mapped.code as ConstructorParameters<typeof LMError>[0], mapped.message, { ...mapped.details, retries }, { cause: mapped.cause ?? error });
}

function mapError(error: unknown, facts: CallFacts, sdk: SdkErrors): DspexError {
  if (error instanceof DspexError) return error;
  const { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError, BaseError } = sdk;
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
    const inner = (error as Error).cause;
    const why = inner instanceof Error ? `${inner.message}${causeCode(inner)}` : error.message;
    return new LMError("LM_ERROR", `${who}: could not reach ${facts.baseURL} (${tries}): ${why}; check that the server is running and the baseURL is right`, details, cause);
  }
  if (error instanceof APIError && typeof (error as HttpError).status === "number") return statusError(error as HttpError, who, tries, facts);
  if (error instanceof SyntaxError) {
    return new LMError("LM_BAD_RESPONSE", `${who}: the reply is not valid JSON (${error.message}); the server at ${facts.baseURL} is not speaking the ${sdk.protocol} protocol`, details, cause);
  }
  if (facts.streamedChars !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof BaseError) {
      return new LMError("LM_BAD_RESPONSE", `${who}: unreadable stream event after ${facts.streamedChars} characters: ${message}`, details, cause);
    }
    return new LMError("LM_ERROR", `${who}: the stream broke after ${facts.streamedChars} characters of text: ${message}${causeCode(error)}`, details, cause);
  }
  if (error instanceof BaseError) {
    return new LMError("LM_BAD_RESPONSE", `${who}: ${error.message}`, details, cause);
  }
  const message = error instanceof Error ? `${error.message}${causeCode(error)}` : String(error);
  return new LMError("LM_ERROR", `${who}: the call failed while reading the reply: ${message}`, details, cause);
}

function statusError(error: HttpError, who: string, tries: string, facts: CallFacts): LMError {
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

function providerMessage(error: HttpError): string {
  // OpenAI's body is {message, ...}; Anthropic's {type:"error", error:{type, message}}.
  const body = error.error as { message?: unknown; error?: { message?: unknown; type?: unknown } } | undefined;
  if (typeof body?.message === "string" && body.message !== "") return body.message;
  const inner = body?.error;
  if (typeof inner?.message === "string" && inner.message !== "") return typeof inner.type === "string" ? `${inner.type}: ${inner.message}` : inner.message;
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
