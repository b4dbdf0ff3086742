// Retries (cockatiel) for transient failures only, with jittered exponential backoff that honours
// Retry-After. A failure whose Retry-After is longer than maxDelayMs is not retried: the policy
// never waits longer than it allows. The caller's abort signal stops the waiting at once.
// `withRetry` counts the retries onto LMResponse.retries (added to any the client made itself).

import { handleWhen, retry } from "cockatiel";
import { z } from "zod";
import type { LM, LMMiddleware } from "../../dspex";
import { RetryAfterBackoff } from "./backoff";
import { isRetryable, retryAfterMsOf } from "./classify";
import { fn, parseOptions, positiveInt } from "./options";
import { abortedError, policyLM } from "./wrap-lm";

export interface RetryOptions {
  /** Attempts in all, the first included; default 3 (1 = never retry). */
  readonly maxAttempts?: number;
  /** Base of the first retry's delay; default 500. */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts (and longest Retry-After honoured); default 30 000. */
  readonly maxDelayMs?: number;
  /** Growth of the delay per retry; default 2. */
  readonly multiplier?: number;
  /** Which failures to retry; default isRetryable (429, 408/409/425, 5xx, timeouts, connection errors). */
  readonly retryable?: (error: unknown) => boolean;
  /** Uniform in [0, 1) for the jitter; default Math.random. */
  readonly random?: () => number;
  /** Called before each wait. */
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The retry about to happen, from 1. */
  readonly retry: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryPolicy {
  /** Runs fn (given the attempt number, from 0) until it succeeds, fails for good, or attempts run out. */
  execute<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<{ readonly value: T; readonly retries: number }>;
  readonly maxAttempts: number;
}

export const RetryOptionsSchema = z
  .object({
    maxAttempts: positiveInt("a whole number of attempts >= 1 (1 = no retries)").max(100, { message: "must be at most 100 attempts" }).default(3),
    initialDelayMs: z.number({ message: "must be a number of milliseconds >= 0" }).nonnegative({ message: "must be a number of milliseconds >= 0" }).default(500),
    maxDelayMs: z.number({ message: "must be a number of milliseconds >= 0" }).nonnegative({ message: "must be a number of milliseconds >= 0" }).default(30_000),
    multiplier: z.number({ message: "must be a number >= 1" }).min(1, { message: "must be a number >= 1" }).default(2),
    retryable: fn<(error: unknown) => boolean>("a function (error) => boolean").optional(),
    random: fn<() => number>("a function returning a number in [0, 1)").optional(),
    onRetry: fn<(info: RetryInfo) => void>("a function").optional(),
  })
  .strict()
  .refine((o) => o.initialDelayMs <= o.maxDelayMs, { message: "initialDelayMs must not be larger than maxDelayMs", path: ["initialDelayMs"] });

export function createRetryPolicy(options: RetryOptions = {}, component = "createRetryPolicy"): RetryPolicy {
  const o = parseOptions(component, RetryOptionsSchema, options);
  const retryable = o.retryable ?? isRetryable;
  const worthIt = (error: unknown) => retryable(error) && (retryAfterMsOf(error) ?? 0) <= o.maxDelayMs;
  const policy = retry(handleWhen(worthIt), {
    maxAttempts: o.maxAttempts - 1,
    backoff: new RetryAfterBackoff({ initialDelayMs: o.initialDelayMs, maxDelayMs: o.maxDelayMs, multiplier: o.multiplier, random: o.random ?? Math.random }),
  });
  if (o.onRetry) {
    const onRetry = o.onRetry;
    policy.onRetry((event) => onRetry({ retry: event.attempt, delayMs: event.delay, error: "error" in event ? event.error : undefined }));
  }

  return {
    maxAttempts: o.maxAttempts,
    async execute(fn, signal) {
      let attempts = 0;
      const run = policy.execute(async ({ attempt }) => {
        if (signal?.aborted) throw abortedError("retry", signal);
        attempts = attempt + 1;
        return fn(attempt);
      }, signal);
      const value = signal === undefined ? await run : await untilAborted(run, signal);
      return { value, retries: Math.max(0, attempts - 1) };
    },
  };
}

/** Rejects as soon as the signal aborts (cockatiel's own wait between attempts is not abortable). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortedError("retry", signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(abortedError("retry", signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Retries an LM call (see RetryOptions); a stream is retried only until its first event. */
export function withRetry(options: RetryOptions = {}): LMMiddleware {
  const policy = createRetryPolicy(options, "withRetry");
  return (inner: LM): LM =>
    policyLM(inner, async (_request, callOptions, call) => {
      const { value, retries } = await policy.execute(() => call(callOptions), callOptions?.signal);
      return { value, adjust: (response) => (retries === 0 ? response : { ...response, retries: (response.retries ?? 0) + retries }) };
    });
}
