// The serving API's one error type, and how every other error becomes one. A failure is answered
// as `{ error: { code, message, fields? } }` with the status of its code, never as a bare 500.
import { DspexError, InputValidationError } from "../../dspex";
import { CodedError } from "../../errors";
import { API_ERROR_STATUS, type ApiErrorBody, type ApiErrorCode, type ApiErrorField } from "../../schemas";
import { StoreError } from "../store";

export class ServingError extends CodedError<ApiErrorCode> {
  readonly status: number;

  constructor(
    code: ApiErrorCode,
    message: string,
    readonly fields?: readonly ApiErrorField[],
    /** Extra response headers, e.g. Retry-After, Allow. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(code, message);
    this.status = API_ERROR_STATUS[code];
  }

  /** The same error with more response headers. */
  withHeaders(headers: Readonly<Record<string, string>>): ServingError {
    return new ServingError(this.code, this.message, this.fields, { ...this.headers, ...headers });
  }

  body(): ApiErrorBody {
    return { error: this.fields && this.fields.length > 0 ? { code: this.code, message: this.message, fields: [...this.fields] } : { code: this.code, message: this.message } };
  }
}

export function retryAfterHeader(ms: number): Record<string, string> {
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) };
}

const STORE_CODES = { NOT_FOUND: "NOT_FOUND", CONFLICT: "CONFLICT", INVALID: "INVALID_REQUEST" } as const;

/** Structured details some runtime errors carry (duck-typed: the resource layer is not imported). */
interface Detailed {
  readonly code?: unknown;
  readonly details?: { readonly retryAfterMs?: unknown; readonly scope?: unknown; readonly scopeId?: unknown; readonly period?: unknown };
}

function prefixed(prefix: string, field: string): string {
  if (!prefix) return field;
  return field === "(all)" ? prefix : `${prefix}.${field}`;
}

/**
 * The API error for anything thrown while serving. `inputPrefix` names where a program's inputs
 * sit in the request ("input", or "inputs.3"), for 422 field paths.
 */
export function toServingError(err: unknown, inputPrefix = "input"): ServingError {
  if (err instanceof ServingError) return err;
  if (err instanceof InputValidationError) {
    const fields = err.issues.map((i) => ({ field: prefixed(inputPrefix, i.field), message: i.message }));
    return new ServingError("INPUT_INVALID", `the input does not fit the program's signature: ${fields.map((f) => `${f.field} ${f.message}`).join("; ")}`, fields);
  }
  if (err instanceof StoreError) {
    return new ServingError(STORE_CODES[err.code], err.message, err.issues.map((i) => ({ field: i.field, message: i.message })));
  }
  const e = err as Detailed & Error;
  const code = err instanceof Error && typeof e.code === "string" ? e.code : undefined;
  const retry = typeof e.details?.retryAfterMs === "number" ? retryAfterHeader(e.details.retryAfterMs) : undefined;
  switch (code) {
    case "BUDGET_EXCEEDED": {
      const scope = typeof e.details?.scope === "string" ? e.details.scope : undefined;
      const field = scope ? [{ field: `budget.${scope}`, message: e.message }] : undefined;
      return new ServingError("BUDGET_EXCEEDED", `a budget is spent: ${e.message}`, field);
    }
    case "LM_TIMEOUT":
      return new ServingError("LM_TIMEOUT", `the model provider did not answer in time: ${e.message}`);
    case "RATE_LIMITED":
      // Our own limit on calls to the provider: the bounded wait for capacity ran out.
      return new ServingError("RATE_LIMITED", `too many calls to the model provider right now; retry later: ${e.message}`, undefined, retry ?? retryAfterHeader(1000));
    case "LM_RATE_LIMITED":
    case "CONCURRENCY_LIMITED":
    case "CIRCUIT_OPEN":
      return new ServingError("PROVIDER_UNAVAILABLE", `the model provider cannot take this call now; retry later: ${e.message}`, undefined, retry ?? retryAfterHeader(1000));
    case "LM_ERROR":
    case "LM_BAD_RESPONSE":
    case "LM_NOT_CONFIGURED":
      return new ServingError("LM_ERROR", `the model provider failed: ${e.message}`);
    case "OUTPUT_PARSE":
    case "OUTPUT_INVALID":
      return new ServingError(code, `the model's reply could not be turned into the program's outputs: ${e.message}`);
    case "ABORTED":
      return new ServingError("ABORTED", `the run was aborted: ${e.message}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ServingError("RUN_FAILED", err instanceof DspexError ? `the program failed (${err.code}): ${message}` : `the program failed: ${message}`);
}

/** An unexpected failure outside a run (the database, a bug): typed, with what was being done. */
export function internalError(err: unknown, doing: string): ServingError {
  if (err instanceof ServingError) return err;
  if (err instanceof StoreError) return toServingError(err, "");
  // The cause (a database message quoting the query, a stack) goes to the log, never to the caller.
  return new ServingError("INTERNAL", `unexpected failure while ${doing}; the server log has the details`);
}
