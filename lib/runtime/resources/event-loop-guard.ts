// Load shedding on event-loop lag. When the loop falls behind (a timer that should fire every
// intervalMs fires late by more than maxLagMs), the server refuses new work for a while with 503
// and Retry-After instead of queueing more behind the backlog; health and readiness still answer.
import { systemClock, type Clock } from "../clock";

export interface EventLoopGuardOptions {
  /** Lag above which new requests are refused (ms). */
  readonly maxLagMs: number;
  /** How often the loop is sampled (ms, default 100). */
  readonly intervalMs?: number;
  /** How long refusing lasts after the last late sample, at least (ms, default 1000). */
  readonly holdMs?: number;
  readonly clock?: Clock;
}

export interface EventLoopGuard {
  /** Milliseconds a caller should wait before retrying, or undefined when requests are taken. */
  retryAfterMs(): number | undefined;
  /** The latest lag measured (ms). */
  lagMs(): number;
  /** Feeds one measurement (the sampler does this; tests may too). */
  record(lagMs: number): void;
  /** Stops sampling. */
  stop(): void;
}

export function createEventLoopGuard(options: EventLoopGuardOptions & { readonly sample?: boolean }): EventLoopGuard {
  const clock = options.clock ?? systemClock();
  const intervalMs = options.intervalMs ?? 100;
  const holdMs = options.holdMs ?? 1000;
  let refuseUntil = 0;
  let last = 0;

  const record = (lag: number) => {
    last = lag;
    if (lag > options.maxLagMs) refuseUntil = Math.max(refuseUntil, clock.now() + Math.max(holdMs, lag));
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.sample !== false) {
    // A real timer on purpose: what is measured is how late the real event loop runs it.
    let expected = performance.now() + intervalMs;
    timer = setInterval(() => {
      const now = performance.now();
      record(Math.max(0, now - expected));
      expected = now + intervalMs;
    }, intervalMs);
    timer.unref();
  }

  return {
    retryAfterMs() {
      const left = refuseUntil - clock.now();
      return left > 0 ? left : undefined;
    },
    lagMs: () => last,
    record,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
