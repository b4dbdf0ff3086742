// The same timeout, retry and breaker policies for plain async functions (background jobs):
// retry (outermost) -> breaker -> timeout -> the function, as for LM calls. Each attempt gets an
// AbortSignal that aborts at its timeout or when the caller's signal aborts.

import { z } from "zod";
import { isRetryable } from "./classify";
import { JobTimeoutError } from "./errors";
import { parseOptions, positiveInt, withMethods } from "./options";
import { createRetryPolicy, type RetryOptions } from "./retry";
import type { Breakers } from "./breaker";
import { runWithTimeout } from "./timeout";

export interface JobPolicyOptions {
  /** Per attempt; none when absent. */
  readonly timeoutMs?: number;
  /** Retries (see RetryOptions); `retryable` defaults to isRetryable (transient failures only). Off when absent or false. */
  readonly retry?: RetryOptions | false;
  /** A breaker registry (createBreakers({ isFailure: isJobFailure })) and the key of this job's dependency. */
  readonly breaker?: { readonly breakers: Breakers; readonly key: string };
}

export interface JobContext {
  /** Aborts at the attempt's timeout or when the caller aborts. */
  readonly signal: AbortSignal;
  /** From 0. */
  readonly attempt: number;
}

export interface JobPolicy {
  /** Runs the job under the policies; `name` appears in errors. */
  run<T>(name: string, job: (context: JobContext) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const Schema = z
  .object({
    timeoutMs: positiveInt("a whole number of milliseconds > 0").optional(),
    retry: z.union([z.literal(false), z.looseObject({})], { message: "must be retry options ({ maxAttempts, ... }) or false" }).optional(),
    breaker: z
      .object({ breakers: withMethods<Breakers>("a breaker registry (createBreakers)", "execute", "snapshot"), key: z.string().min(1, { message: "must be a non-empty key" }) })
      .strict()
      .optional(),
  })
  .strict();

export function createJobPolicy(options: JobPolicyOptions = {}): JobPolicy {
  const o = parseOptions("createJobPolicy", Schema, options);
  const retry = options.retry ? createRetryPolicy({ retryable: isRetryable, ...options.retry }, "createJobPolicy") : undefined;
  const breaker = options.breaker;

  return {
    async run<T>(name: string, job: (context: JobContext) => Promise<T>, signal?: AbortSignal): Promise<T> {
      const timeoutMs = o.timeoutMs;
      const timed = (attempt: number, inner: AbortSignal): Promise<T> =>
        timeoutMs === undefined
          ? job({ signal: inner, attempt })
          : runWithTimeout(timeoutMs, (s) => job({ signal: s, attempt }), inner, () => new JobTimeoutError(`job "${name}": attempt ${attempt + 1} ran past ${timeoutMs} ms; raise timeoutMs or make the job faster`, { job: name, timeoutMs }));
      const attemptOnce = (attempt: number): Promise<T> => {
        if (breaker === undefined) return timed(attempt, signal ?? new AbortController().signal);
        return breaker.breakers.execute(breaker.key, (s) => timed(attempt, signal ? AbortSignal.any([s, signal]) : s), signal);
      };
      if (retry === undefined) return attemptOnce(0);
      return (await retry.execute(attemptOnce, signal)).value;
    },
  };
}
