// Time for the runtime, injected: supervisors, backoff and timeouts read the clock they are given,
// so tests drive time with a FakeClock instead of waiting.

declare const timerBrand: unique symbol;
/** An opaque timer returned by `Clock.setTimeout`; pass it back to `Clock.clearTimeout`. */
export type TimerHandle = { readonly [timerBrand]: "TimerHandle" };

export interface Clock {
  /** Milliseconds since the Unix epoch (fake clocks choose their own epoch). */
  now(): number;
  /** Runs `callback` once, `ms` milliseconds from now (a negative or NaN delay means 0). */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or already-fired timers are ignored. */
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms`; rejects with the signal's reason if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** `sleep` in terms of a clock's own setTimeout/clearTimeout, shared by every implementation. */
export function sleepOn(clock: Pick<Clock, "setTimeout" | "clearTimeout">, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `Date.now()` and Node's timers. */
export function systemClock(): Clock {
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, delay(ms)) as unknown as TimerHandle,
    clearTimeout: (handle) => globalThis.clearTimeout(handle as unknown as ReturnType<typeof globalThis.setTimeout>),
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
  };
  return clock;
}

/** Normalises a delay: NaN and negatives become 0. */
export function delay(ms: number): number {
  return Number.isNaN(ms) || ms < 0 ? 0 : ms;
}
