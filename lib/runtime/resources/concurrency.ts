// withConcurrency: at most N calls in flight per provider (p-queue, first in first out, interactive
// calls ahead of background ones); a call
// waits for a slot at most `maxWaitMs`, then fails with CONCURRENCY_LIMITED. A stream holds its
// slot until it ends. In process only: each process has its own slots.

import PQueue from "p-queue";
import { z } from "zod";
import type { LM, LMCallPriority, LMMiddleware } from "../../dspex";
import { systemClock, type Clock } from "../clock";
import { ConcurrencyLimitedError } from "./errors";
import { parseOptions, positiveInt, withMethods } from "./options";
import { abortedError, hookLM } from "./wrap-lm";

export interface ConcurrencyOptions {
  /** Calls in flight allowed per provider name, e.g. { openai: 16 }. */
  readonly limits?: Readonly<Record<string, number>>;
  /** For providers not named in `limits`; unlimited when absent. */
  readonly defaultLimit?: number;
  /** Longest wait for a slot; default 60 000. */
  readonly maxWaitMs?: number;
  /** Calls allowed to wait per provider; default 10 000. */
  readonly maxQueue?: number;
  readonly clock?: Clock;
}

export interface ConcurrencyLimiter extends LMMiddleware {
  /** Calls running and waiting for a provider. */
  load(provider: string): { readonly running: number; readonly waiting: number };
  /** Takes a slot for `key` (a provider name) for any async work; call the returned function to give it back. */
  acquire(key: string, signal?: AbortSignal, priority?: LMCallPriority): Promise<() => void>;
}

const Schema = z
  .object({
    limits: z.record(z.string(), positiveInt("a whole number of calls in flight > 0")).default({}),
    defaultLimit: positiveInt("a whole number of calls in flight > 0").optional(),
    maxWaitMs: positiveInt("a whole number of milliseconds > 0").default(60_000),
    maxQueue: positiveInt("a whole number of waiting calls > 0").default(10_000),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
  })
  .strict();

const WAIT_TIMEOUT = Symbol("wait timeout");

export function withConcurrency(options: ConcurrencyOptions): ConcurrencyLimiter {
  const o = parseOptions("withConcurrency", Schema, options);
  const clock = o.clock ?? systemClock();
  const queues = new Map<string, PQueue>();

  function queueFor(key: string): PQueue | undefined {
    const limit = o.limits[key] ?? o.defaultLimit;
    if (limit === undefined) return undefined;
    let queue = queues.get(key);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: limit });
      queues.set(key, queue);
    }
    return queue;
  }

  function acquire(key: string, signal?: AbortSignal, priority: LMCallPriority = "interactive"): Promise<() => void> {
    const queue = queueFor(key);
    if (queue === undefined) return Promise.resolve(() => undefined);
    const limit = queue.concurrency;
    if (signal?.aborted) return Promise.reject(abortedError(`${key}: waiting for a concurrency slot`, signal));
    if (queue.size >= o.maxQueue) {
      return Promise.reject(
        new ConcurrencyLimitedError(`${key}: ${o.maxQueue} calls are already waiting for one of ${limit} concurrency slots; raise maxQueue or the limit`, { provider: key, maxConcurrent: limit, waitedMs: 0 }),
      );
    }
    const started = clock.now();
    // Aborted only while waiting: once the slot is held, nothing but the caller's release frees it.
    const wait = new AbortController();
    const timer = clock.setTimeout(() => wait.abort(WAIT_TIMEOUT), o.maxWaitMs);
    const onAbort = () => wait.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const stopWaiting = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    return new Promise((resolve, reject) => {
      queue
        .add(
          () =>
            new Promise<void>((done) => {
              stopWaiting();
              let released = false;
              resolve(() => {
                if (!released) {
                  released = true;
                  done();
                }
              });
            }),
          { signal: wait.signal, priority: priority === "background" ? 0 : 1 },
        )
        .catch(() => {
          stopWaiting();
          if (wait.signal.reason === WAIT_TIMEOUT) {
            const waitedMs = clock.now() - started;
            reject(
              new ConcurrencyLimitedError(`${key}: waited ${Math.round(waitedMs)} ms for one of ${limit} concurrency slots without getting one; raise maxWaitMs or the limit, or send fewer calls`, {
                provider: key,
                maxConcurrent: limit,
                waitedMs,
              }),
            );
          } else reject(abortedError(`${key}: waiting for a concurrency slot`, signal ?? wait.signal));
        });
    });
  }

  const middleware = (inner: LM): LM =>
    hookLM<() => void>(inner, {
      enter: (_request, callOptions) => acquire(inner.provider, callOptions?.signal, callOptions?.priority),
      exit: (release) => release(),
    });

  return Object.assign(middleware, {
    load(provider: string) {
      const queue = queues.get(provider);
      return { running: queue?.pending ?? 0, waiting: queue?.size ?? 0 };
    },
    acquire,
  });
}
