// What a recorded LM call was, beyond what the framework saw: the provider that served it (a
// failed call through the router names the router), whether its price is unknown (cost 0 is then
// not "free"), and whether a budget refused it before it reached any provider.

export interface CallSeen {
  readonly provider: string;
  readonly model: string;
  readonly cacheHit: boolean;
  /** The error message of a failed call. */
  readonly error?: string | null;
  /** The error itself, when the recorder has it. */
  readonly cause?: unknown;
}

export interface CallFacts {
  readonly provider: string;
  readonly model: string;
  readonly priceUnknown: boolean;
  readonly refused: boolean;
}

/** Supplied by the LM stack (which knows the providers and prices); recorders without one keep the call as seen. */
export type DescribeCall = (call: CallSeen) => CallFacts;

// Budget refusals say "<who> budget (<period>): ..." (see resources/errors).
const REFUSAL = /budget \((?:day|month|total)\): /;

export function isBudgetRefusal(message: string | null | undefined, cause?: unknown): boolean {
  if (cause !== undefined && typeof cause === "object" && cause !== null && (cause as { code?: unknown }).code === "BUDGET_EXCEEDED") return true;
  return typeof message === "string" && REFUSAL.test(message);
}

export const asSeen: DescribeCall = (call) => ({ provider: call.provider, model: call.model, priceUnknown: false, refused: isBudgetRefusal(call.error, call.cause) });
