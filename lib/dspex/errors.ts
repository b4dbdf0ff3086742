// One root error for the framework. Every error carries a stable string `code` and structured
// fields; its message names the field or value at fault and, where there is one, the fix.
import { CodedError } from "../errors";

export type DspexErrorCode =
  | "SIGNATURE_SYNTAX"
  | "SIGNATURE_INVALID"
  | "INPUT_INVALID"
  | "OUTPUT_PARSE"
  | "OUTPUT_INVALID"
  | "LM_ERROR"
  | "LM_RATE_LIMITED"
  | "LM_TIMEOUT"
  | "LM_BAD_RESPONSE"
  | "LM_NOT_CONFIGURED"
  | "TOOL_ERROR"
  | "MAX_STEPS"
  | "ABORTED"
  | "PROGRAM_INVALID"
  | "STATE_INVALID"
  | "OPTION_INVALID"
  | "CONFIG_INVALID"
  | "BUDGET_EXCEEDED"
  | "BUDGET_TOO_SMALL"
  /** A money budget on a model whose price is unknown (fail closed). */
  | "BUDGET_UNPRICED"
  | "CHECKPOINT_INVALID"
  | "METRIC_FAILED";

export class DspexError extends CodedError<DspexErrorCode> {}

/** A malformed signature shorthand: where it went wrong and what was expected there. */
export class SignatureSyntaxError extends DspexError {
  constructor(
    readonly source: string,
    readonly position: number,
    readonly expected: string,
  ) {
    super(
      "SIGNATURE_SYNTAX",
      `Signature "${source}": expected ${expected} at position ${position}\n  ${source}\n  ${" ".repeat(position)}^`,
    );
  }
}

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Inputs that do not match a signature; `issues` names each field and what was wrong. */
export class InputValidationError extends DspexError {
  constructor(
    readonly module: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super("INPUT_INVALID", `${module}: ${issues.map((i) => `input "${i.field}" ${i.message}`).join("; ")}`);
  }
}

/** Outputs that parsed but do not match the signature's types. */
export class OutputValidationError extends DspexError {
  constructor(
    readonly module: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super("OUTPUT_INVALID", `${module}: ${issues.map((i) => `output "${i.field}" ${i.message}`).join("; ")}`);
  }
}

/**
 * The LM's reply could not be turned into the signature's outputs, after every retry and the
 * fallback adapter. Carries the raw reply so the caller can see exactly what the model said.
 */
export class OutputParseError extends DspexError {
  constructor(
    message: string,
    readonly details: {
      readonly raw: string;
      readonly adapter: string;
      readonly attempts: number;
      readonly expectedFields: readonly string[];
      readonly parsedFields: readonly string[];
    },
  ) {
    super("OUTPUT_PARSE", message);
  }
}

/** The reply was cut off at the output cap (finish reason "length"): never used as an answer. */
export class OutputTruncatedError extends OutputParseError {
  readonly truncated = true;
}

/** A provider call failed (after the client's own retries). */
export class LMError extends DspexError {
  constructor(
    code: "LM_ERROR" | "LM_RATE_LIMITED" | "LM_TIMEOUT" | "LM_BAD_RESPONSE" | "LM_NOT_CONFIGURED",
    message: string,
    /** retries: how many times the call was retried before it failed. */
    readonly details: { readonly provider: string; readonly model?: string; readonly status?: number; readonly retryAfterMs?: number; readonly retries?: number },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A configuration that does not fit its variable space; `reasons` says each thing wrong. */
export class ConfigInvalidError extends DspexError {
  constructor(readonly reasons: readonly string[]) {
    super("CONFIG_INVALID", `Invalid configuration: ${reasons.join("; ")}`);
  }
}
