// A rate limiter that answers at once (no waiting): for API keys, where the serving API turns a
// refusal into HTTP 429 with Retry-After. Sliding window (see sliding-window.ts), in memory by
// default or shared through Redis.

import type { Redis } from "ioredis";
import { z } from "zod";
import { systemClock, type Clock } from "../clock";
import { ResourceOptionError } from "./errors";
import { parseOptions, positiveInt, withMethods } from "./options";
import { SlidingWindowCounter } from "./sliding-window";

export interface RateLimiterOptions {
  /** Units (usually requests) allowed per window for each key. Required. */
  readonly points: number;
  /** Window length; default 60 000 (per minute). */
  readonly windowMs?: number;
  /** Slices per window (precision of the sliding window); default 10. */
  readonly buckets?: number;
  /** Share the counts through Redis (ioredis) across processes; in memory when absent. */
  readonly redis?: Redis;
  /** Key namespace; default "dspex:rl:keys". Give each limiter its own. */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** 0 when allowed; otherwise how long until the same request would be allowed (for Retry-After). */
  readonly retryAfterMs: number;
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimiter {
  /** Takes `cost` units (default 1) for `key` if they fit, and says whether they did. Never waits. */
  check(key: string, cost?: number): Promise<RateLimitDecision>;
  /** Units counted for `key` in the current window. */
  used(key: string): Promise<number>;
}

const Schema = z
  .object({
    points: positiveInt("a whole number of units per window > 0, e.g. 60"),
    windowMs: positiveInt("a whole number of milliseconds > 0, e.g. 60000").default(60_000),
    buckets: positiveInt("a whole number of slices per window between 1 and 60").max(60, { message: "must be at most 60 slices per window" }).default(10),
    redis: withMethods<Redis>("an ioredis client", "eval", "multi", "defineCommand").optional(),
    keyPrefix: z.string().min(1, { message: "must be a non-empty string" }).default("dspex:rl:keys"),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
  })
  .strict();

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const o = parseOptions("createRateLimiter", Schema, options);
  const counter = new SlidingWindowCounter({ limit: o.points, windowMs: o.windowMs, buckets: o.buckets, keyPrefix: o.keyPrefix, clock: o.clock ?? systemClock(), ...(o.redis && { redis: o.redis }) });
  return {
    async check(key, cost = 1) {
      if (!Number.isInteger(cost) || cost < 1 || cost > o.points) {
        throw new ResourceOptionError("RateLimiter.check", "cost", cost, `must be a whole number of units from 1 to the limit (${o.points} per window)`);
      }
      const taken = await counter.take(key, cost);
      return { allowed: taken.ok, retryAfterMs: taken.ok ? 0 : taken.retryAfterMs, limit: o.points, windowMs: o.windowMs };
    },
    used: (key) => counter.used(key),
  };
}
