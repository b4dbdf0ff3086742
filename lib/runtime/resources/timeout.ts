// Timeouts (aggressive: the caller gets the failure on time even if the work ignores its abort
// signal). For an LM call: the whole call for `complete`, and the wait for each next event for
// `stream` (a stream that keeps sending is never cut off). The inner LM also gets the abort signal
// and `timeoutMs`, so an HTTP client stops its own request. A timed-out call fails with LMError
// LM_TIMEOUT, which retries and breakers treat as transient. A call that ends in time costs one
// timer and one AbortController: nothing is aborted and no error object is made on that path.

import { LMError } from "../../dspex";
import type { LM, LMCallOptions, LMMiddleware, LMStreamEvent } from "../../dspex";
import { abortedError, modelOf } from "./wrap-lm";

export interface TimeoutOptions {
  /** Per call (each attempt, when inside a retry). The caller's own smaller `timeoutMs` wins. */
  readonly timeoutMs: number;
}

/**
 * Runs fn with a deadline; fn gets a signal that aborts at the deadline, when `signal` does, or when
 * fn fails. Rejects with `onTimeout()` at the deadline and with ABORTED when `signal` aborts,
 * whether or not fn has stopped by then.
 */
export function runWithTimeout<T>(timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortedError("timeout", signal));
  const inner = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const end = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const timer = setTimeout(() => {
      if (!end()) return;
      const error = onTimeout();
      inner.abort(error);
      reject(error);
    }, timeoutMs);
    function onAbort(): void {
      if (!end()) return;
      inner.abort(signal!.reason);
      reject(abortedError("timeout", signal!));
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    let work: Promise<T>;
    try {
      work = fn(inner.signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    work.then(
      (value) => {
        if (end()) resolve(value);
      },
      (error: unknown) => {
        if (!end()) return;
        inner.abort(error);
        reject(error);
      },
    );
  });
}

export function withTimeout(options: TimeoutOptions): LMMiddleware {
  const { timeoutMs } = options;
  return (inner: LM): LM => {
    const limit = (o: LMCallOptions | undefined) => Math.min(timeoutMs, o?.timeoutMs ?? Number.POSITIVE_INFINITY);
    const timedOut = (model: string | undefined, ms: number, what: string) =>
      new LMError("LM_TIMEOUT", `${inner.provider}${model ? ` "${model}"` : ""}: ${what} within ${ms} ms (resource timeout); raise timeoutMs or check the provider`, {
        provider: inner.provider,
        ...(model && { model }),
      });
    const lm: LM = {
      provider: inner.provider,
      ...(inner.defaultModel !== undefined && { defaultModel: inner.defaultModel }),
      complete(request, o) {
        const ms = limit(o);
        return runWithTimeout(ms, (signal) => inner.complete(request, { ...o, signal, timeoutMs: ms }), o?.signal, () => timedOut(modelOf(request, inner), ms, "no reply"));
      },
    };
    const innerStream = inner.stream?.bind(inner);
    if (innerStream !== undefined) {
      lm.stream = async function* (request, o): AsyncGenerator<LMStreamEvent> {
        const ms = limit(o);
        const stop = new AbortController();
        const onAbort = () => stop.abort(o?.signal?.reason);
        if (o?.signal?.aborted) stop.abort(o.signal.reason);
        else o?.signal?.addEventListener("abort", onAbort, { once: true });
        const iterator = innerStream(request, { ...o, signal: stop.signal, timeoutMs: ms })[Symbol.asyncIterator]();
        let finished = false;
        try {
          for (;;) {
            const next = await runWithTimeout(ms, () => iterator.next(), o?.signal, () => {
              stop.abort();
              return timedOut(modelOf(request, inner), ms, "no stream event");
            });
            if (next.done === true) {
              finished = true;
              return;
            }
            yield next.value;
          }
        } finally {
          o?.signal?.removeEventListener("abort", onAbort);
          if (!finished) await iterator.return?.().catch(() => undefined);
        }
      };
    }
    return lm;
  };
}
