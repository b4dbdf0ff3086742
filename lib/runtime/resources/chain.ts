// resourceChain: every resource policy around an LM, in one order, sharing one set of limiters,
// breakers and budget reservations across all the LMs it wraps.
//
// A call passes, outermost first:
//   budget -> retry -> breaker -> concurrency -> rate limit -> timeout -> client
// - budget first: a refused call costs nothing and never waits in a line; one reservation covers
//   the call with all its attempts, settled once with the cost of the response it returns.
// - retry outside the rest: every attempt goes back through the breaker, the slots and the rate
//   limit, because the provider counts every HTTP request (retries included) against its limits.
// - breaker before the lines: while a provider is down, calls fail fast instead of waiting for a
//   slot or rate capacity first; each attempt is one sample for the breaker.
// - concurrency, then rate limit: rate capacity is taken just before the request is sent, so the
//   limit holds where the provider measures it (a call admitted and then kept waiting for a slot
//   would arrive later than counted).
// - timeout innermost: it times the provider's answer to one attempt, not the waiting.
//
// Scopes reach the budget through `chain.middleware({ programId, optimizationId, apiKeyId })`:
// the runtime wraps the LM of each run with the scopes of that run. Work in the background
// (optimizations, agents) is wrapped with priority "background": its calls wait behind
// interactive ones for rate-limit capacity and concurrency slots.

import { z } from "zod";
import { composeLM } from "../../dspex";
import type { LM, LMCallPriority, LMMiddleware } from "../../dspex";
import type { Clock } from "../clock";
import { createBreakers, type BreakerEvent, type BreakerOptions, type Breakers } from "./breaker";
import { createBudgetGuard, type BudgetEvent, type BudgetGuard, type BudgetGuardOptions } from "./budget-guard";
import type { BudgetScopes } from "./budget-types";
import { withConcurrency, type ConcurrencyLimiter, type ConcurrencyOptions } from "./concurrency";
import { withRateLimit, type LMRateLimiter, type LMRateLimitOptions } from "./lm-rate-limit";
import { fn, parseOptions, positiveInt, withMethods } from "./options";
import { withRetry, type RetryOptions } from "./retry";
import { withTimeout } from "./timeout";
import { hookLM } from "./wrap-lm";

/** Marks every call that has no priority of its own with `priority`. */
export function withPriority(priority: LMCallPriority): LMMiddleware {
  return (inner) => hookLM<undefined>(inner, { enter: async () => undefined, options: (_s, options) => ({ ...options, priority: options?.priority ?? priority }), exit: () => undefined });
}

export type ResourceEvent = BreakerEvent | BudgetEvent;

export interface ResourceChainOptions {
  /** Requests/tokens per minute per provider and model; off when absent. */
  readonly rateLimits?: LMRateLimitOptions;
  /** Calls in flight per provider; off when absent. */
  readonly concurrency?: ConcurrencyOptions;
  /** Per attempt; default 300 000; false for none. */
  readonly timeoutMs?: number | false;
  /** Default on: 3 attempts, 500 ms initial delay, 30 s max delay; false for none. */
  readonly retry?: RetryOptions | false;
  /** Default on: open after 5 consecutive provider failures, probe after 30 s; false for none. */
  readonly breaker?: BreakerOptions | false;
  /** Budgets in money (options for createBudgetGuard, or a guard); off when absent. */
  readonly budget?: BudgetGuardOptions | BudgetGuard;
  /** Receives `breaker:state` and `budget:status` (when the breaker/budget options name no onEvent of their own). */
  readonly onEvent?: (event: ResourceEvent) => void;
  /** Given to every part that takes a clock and has none of its own. */
  readonly clock?: Clock;
}

export interface ResourceChain {
  /** The middleware for calls made on behalf of these scopes (for budgets), at this priority (default: the call's own, else interactive). */
  middleware(scopes?: BudgetScopes, priority?: LMCallPriority): LMMiddleware;
  /** Shortcut: `composeLM(lm, chain.middleware(scopes, priority))`. */
  wrap(lm: LM, scopes?: BudgetScopes, priority?: LMCallPriority): LM;
  readonly breakers?: Breakers;
  readonly budget?: BudgetGuard;
  readonly rateLimiter?: LMRateLimiter;
  readonly concurrency?: ConcurrencyLimiter;
}

const Schema = z
  .object({
    rateLimits: z.looseObject({}, { message: "must be rate-limit options ({ limits: [...] })" }).optional(),
    concurrency: z.looseObject({}, { message: "must be concurrency options ({ limits: {...} })" }).optional(),
    timeoutMs: z.union([z.literal(false), positiveInt("a whole number of milliseconds > 0, or false")], { message: "must be a whole number of milliseconds > 0, or false" }).default(300_000),
    retry: z.union([z.literal(false), z.looseObject({})], { message: "must be retry options or false" }).default({}),
    breaker: z.union([z.literal(false), z.looseObject({})], { message: "must be breaker options or false" }).default({}),
    budget: z.looseObject({}, { message: "must be budget guard options ({ prices, limits }) or a BudgetGuard" }).optional(),
    onEvent: fn<(event: ResourceEvent) => void>("a function").optional(),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
  })
  .strict();

function isGuard(value: BudgetGuardOptions | BudgetGuard): value is BudgetGuard {
  return typeof (value as BudgetGuard).middleware === "function" && typeof (value as BudgetGuard).status === "function";
}

export function resourceChain(options: ResourceChainOptions = {}): ResourceChain {
  const o = parseOptions("resourceChain", Schema, options);
  const clock = o.clock !== undefined ? { clock: o.clock } : {};
  const onEvent = options.onEvent;
  const breakers = options.breaker === false ? undefined : createBreakers({ ...clock, ...(onEvent && { onEvent }), ...options.breaker });
  const budget = options.budget === undefined ? undefined : isGuard(options.budget) ? options.budget : createBudgetGuard({ ...clock, ...(onEvent && { onEvent }), ...options.budget });
  const rateLimiter = options.rateLimits === undefined ? undefined : withRateLimit({ ...clock, ...options.rateLimits });
  const concurrency = options.concurrency === undefined ? undefined : withConcurrency({ ...clock, ...options.concurrency });
  const retry = options.retry === false ? undefined : withRetry(options.retry ?? {});
  const timeout = o.timeoutMs === false ? undefined : withTimeout({ timeoutMs: o.timeoutMs });

  // composeLM(base, a, b) is b(a(base)): list from the client outwards.
  const shared: LMMiddleware[] = [timeout, rateLimiter, concurrency, breakers, retry].filter((m): m is LMMiddleware => m !== undefined);

  const middleware = (scopes: BudgetScopes = {}, priority?: LMCallPriority): LMMiddleware => {
    const outer = budget?.middleware(scopes);
    return (inner: LM) => composeLM(inner, ...shared, ...(outer ? [outer] : []), ...(priority ? [withPriority(priority)] : []));
  };

  return {
    middleware,
    wrap: (lm, scopes, priority) => middleware(scopes, priority)(lm),
    ...(breakers && { breakers }),
    ...(budget && { budget }),
    ...(rateLimiter && { rateLimiter }),
    ...(concurrency && { concurrency }),
  };
}
