// An in-memory API-key limiter for tests: a sliding one-minute log per key, never waiting.
import type { ApiKeyLimiter, LimitDecision } from "../types";

const WINDOW_MS = 60_000;

export interface MemoryLimiter extends ApiKeyLimiter {
  /** Every check made: key, limit and cost. */
  readonly checks: { keyId: string; limitPerMinute: number | undefined; cost: number }[];
}

export function createMemoryLimiter(options: { readonly defaultPerMinute: number; readonly now?: () => number }): MemoryLimiter {
  const now = options.now ?? Date.now;
  const taken = new Map<string, number[]>();
  const checks: MemoryLimiter["checks"] = [];
  return {
    checks,
    async check(keyId, limitPerMinute, cost = 1): Promise<LimitDecision> {
      checks.push({ keyId, limitPerMinute, cost });
      const limit = limitPerMinute ?? options.defaultPerMinute;
      const t = now();
      const log = (taken.get(keyId) ?? []).filter((at) => at > t - WINDOW_MS);
      taken.set(keyId, log);
      if (log.length + cost > limit) {
        // The oldest entries must leave the window before `cost` more fit.
        const freeing = log[Math.min(log.length - 1, Math.max(0, log.length + cost - limit - 1))] ?? t;
        return { allowed: false, retryAfterMs: Math.max(1, freeing + WINDOW_MS - t) };
      }
      for (let i = 0; i < cost; i++) log.push(t);
      return { allowed: true };
    },
  };
}
