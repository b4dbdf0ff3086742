// Circuit breakers (cockatiel), one per key: per provider for LM calls, per dependency for jobs.
// closed -> open after N consecutive failures (or a failure ratio over a window) -> half-open at
// the first call after the cooldown (that call is the probe; others wait for its outcome) ->
// closed when the probe succeeds, open again when it fails. While open, calls fail fast with
// CIRCUIT_OPEN. Only provider failures count (5xx, timeouts, connection errors, unreadable
// replies; see isProviderFailure); other errors pass through and, during a probe, count as the
// provider answering. State changes are reported as `breaker:state` payloads.

import { CircuitState, ConsecutiveBreaker, SamplingBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import { z } from "zod";
import type { LM, LMMiddleware } from "../../dspex";
import type { RuntimeEventPayload } from "../../schemas";
import { systemClock, type Clock } from "../clock";
import { isProviderFailure } from "./classify";
import { CircuitOpenError } from "./errors";
import { fn, parseOptions, positiveInt, withMethods } from "./options";
import { policyLM } from "./wrap-lm";

export type BreakerState = RuntimeEventPayload<"breaker:state">;
export type BreakerEvent = { readonly name: "breaker:state"; readonly payload: BreakerState };

export interface BreakerOptions {
  /** Open after this many consecutive failures; default 5 (unless failureRatio is set). */
  readonly consecutiveFailures?: number;
  /** Instead: open when more than `ratio` of the calls over the last `windowMs` failed, once at least `minimumCalls` (default 10) were made in it. */
  readonly failureRatio?: { readonly ratio: number; readonly windowMs: number; readonly minimumCalls?: number };
  /** Cooldown before a probe call; default 30 000. */
  readonly halfOpenAfterMs?: number;
  /** Which failures count; default isProviderFailure. */
  readonly isFailure?: (error: unknown) => boolean;
  /** Receives every state change. */
  readonly onEvent?: (event: BreakerEvent) => void;
  /** For event times and the wait reported by CIRCUIT_OPEN (cockatiel keeps its own time). */
  readonly clock?: Clock;
}

export interface Breakers extends LMMiddleware {
  /** Runs fn under the breaker for `key`; throws CircuitOpenError without running it while open. */
  execute<T>(key: string, fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** The state of one breaker (closed for a key never used). */
  state(key: string): BreakerState;
  /** Every breaker's state, as `breaker:state` payloads. */
  snapshot(): BreakerState[];
}

const Schema = z
  .object({
    consecutiveFailures: positiveInt("a whole number of failures >= 1").optional(),
    failureRatio: z
      .object({
        ratio: z.number({ message: "must be a number between 0 and 1 (exclusive), e.g. 0.5" }).gt(0, { message: "must be a number between 0 and 1 (exclusive), e.g. 0.5" }).lt(1, { message: "must be a number between 0 and 1 (exclusive), e.g. 0.5" }),
        windowMs: positiveInt("a whole number of milliseconds > 0"),
        minimumCalls: positiveInt("a whole number of calls >= 1").default(10),
      })
      .strict()
      .optional(),
    halfOpenAfterMs: positiveInt("a whole number of milliseconds > 0").default(30_000),
    isFailure: fn<(error: unknown) => boolean>("a function (error) => boolean").optional(),
    onEvent: fn<(event: BreakerEvent) => void>("a function").optional(),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
  })
  .strict()
  .refine((o) => o.consecutiveFailures === undefined || o.failureRatio === undefined, {
    message: "and consecutiveFailures are both set; choose one way to open the breaker",
    path: ["failureRatio"],
  });

const STATE_NAMES: Record<CircuitState, BreakerState["state"]> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

interface Entry {
  readonly policy: CircuitBreakerPolicy;
  failures: number;
  openedAt: number;
}

export function createBreakers(options: BreakerOptions = {}): Breakers {
  const o = parseOptions("createBreakers", Schema, options);
  const clock = o.clock ?? systemClock();
  const isFailure = o.isFailure ?? isProviderFailure;
  const entries = new Map<string, Entry>();
  const at = () => new Date(clock.now()).toISOString();

  function entryFor(key: string): Entry {
    let entry = entries.get(key);
    if (entry !== undefined) return entry;
    const breaker = o.failureRatio
      ? new SamplingBreaker({ threshold: o.failureRatio.ratio, duration: o.failureRatio.windowMs, minimumRps: (o.failureRatio.minimumCalls * 1000) / o.failureRatio.windowMs })
      : new ConsecutiveBreaker(o.consecutiveFailures ?? 5);
    const policy = circuitBreaker(handleWhen(isFailure), { halfOpenAfter: o.halfOpenAfterMs, breaker });
    const created: Entry = { policy, failures: 0, openedAt: 0 };
    policy.onFailure(({ handled }) => {
      if (handled) created.failures++;
    });
    policy.onSuccess(() => {
      created.failures = 0;
    });
    policy.onStateChange((state) => {
      if (state === CircuitState.Open || state === CircuitState.Isolated) created.openedAt = clock.now();
      o.onEvent?.({ name: "breaker:state", payload: { provider: key, state: STATE_NAMES[state], failures: created.failures, at: at() } });
    });
    entries.set(key, created);
    entry = created;
    return entry;
  }

  async function execute<T>(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const entry = entryFor(key);
    try {
      return await entry.policy.execute(({ signal: inner }) => work(inner), signal);
    } catch (error) {
      if (!isBrokenCircuitError(error)) throw error;
      const retryAfterMs = Math.max(0, entry.openedAt + o.halfOpenAfterMs - clock.now());
      throw new CircuitOpenError(
        `${key}: circuit breaker open after ${entry.failures} failure(s); calls fail fast for ${Math.ceil(retryAfterMs)} ms more, then one probe call is let through`,
        { key, failures: entry.failures, retryAfterMs },
        { cause: error },
      );
    }
  }

  function state(key: string): BreakerState {
    const entry = entries.get(key);
    return { provider: key, state: entry ? STATE_NAMES[entry.policy.state] : "closed", failures: entry?.failures ?? 0, at: at() };
  }

  const middleware = (inner: LM): LM =>
    policyLM(inner, async (_request, callOptions, call) => ({ value: await execute(inner.provider, () => call(callOptions), callOptions?.signal) }));

  return Object.assign(middleware, {
    execute,
    state,
    snapshot: () => [...entries.keys()].sort().map(state),
  });
}
