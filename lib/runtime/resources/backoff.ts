// Jittered exponential backoff that honours Retry-After, as a cockatiel backoff. Retry k (from 1)
// waits a uniform draw in [base/2, base] with base = min(maxDelayMs, initialDelayMs * multiplier^(k-1))
// ("equal jitter": spread out, never near zero), and never less than the Retry-After the failure
// carried. Randomness is injected.

import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from "cockatiel";
import { retryAfterMsOf } from "./classify";

export interface BackoffOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** Uniform in [0, 1); default Math.random. */
  readonly random: () => number;
}

export function backoffDelay(options: BackoffOptions, retry: number, retryAfterMs: number | undefined): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.multiplier ** Math.max(0, retry - 1));
  const jittered = base / 2 + options.random() * (base / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

export class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly options: BackoffOptions) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const error = "error" in context.result ? context.result.error : undefined;
    return { duration: backoffDelay(this.options, context.attempt, retryAfterMsOf(error)), next: (c) => this.next(c) };
  }
}
