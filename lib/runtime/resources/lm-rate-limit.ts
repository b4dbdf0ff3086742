// withRateLimit: requests and tokens per minute, per provider and per model, as an LM middleware
// that WAITS for capacity. Calls line up first-in-first-out per (provider, model); the head takes
// one request and its estimated tokens (prompt counted + maxTokens or a default) from every limit
// that applies, or sleeps until they fit. After the call the token reservation is corrected to the
// real usage (given back or added). A call that waited `maxWaitMs` fails with RATE_LIMITED.
// Counters are sliding windows (see sliding-window.ts), in memory or shared through Redis; with
// Redis, each process keeps its own line and all draw on the same counters (first in first out
// within a process, not across processes). Calls marked background (optimizations, agents) wait
// behind every interactive call in the same line. A failed call keeps its request and estimated tokens
// counted (the provider may have counted them); a cache hit gives everything back.
// The clock places calls in slices; the store's expiry runs on real time, so an injected clock
// must not run slower than real time.

import type { Redis } from "ioredis";
import { z } from "zod";
import type { LM, LMMiddleware } from "../../dspex";
import { systemClock, type Clock } from "../clock";
import { RateLimitedError } from "./errors";
import { estimateRequestTokens, usedTokens, DEFAULT_MAX_OUTPUT_TOKENS } from "./estimate";
import { FifoGate } from "./fifo-gate";
import { fn, parseOptions, positiveInt, withMethods } from "./options";
import { SlidingWindowCounter, type Slot } from "./sliding-window";
import { abortedError, hookLM, modelOf } from "./wrap-lm";

export interface RateLimitRule {
  /** The LM's provider name (`LM.provider`), e.g. "openai". */
  readonly provider: string;
  /** Only calls to this model; the whole provider when absent. */
  readonly model?: string;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

export interface LMRateLimitOptions {
  readonly limits: readonly RateLimitRule[];
  /** The "minute": default 60 000. Tests and benchmarks shrink it; the limits then count per shorter window. */
  readonly windowMs?: number;
  /** Slices per window (sliding-window precision); default 20. */
  readonly buckets?: number;
  /**
   * How much later than admitted a request may reach the provider (client event loop, connection
   * setup, network); capacity returns this long after the window. Default: one slice (windowMs / buckets).
   */
  readonly marginMs?: number;
  /** Longest a call waits in line before RATE_LIMITED; default 60 000. */
  readonly maxWaitMs?: number;
  /** Calls allowed to wait per (provider, model); default 10 000. */
  readonly maxQueue?: number;
  /** Output tokens reserved per choice when a request sets no maxTokens; default 1024. */
  readonly defaultMaxOutputTokens?: number;
  /** Share the limits across processes through Redis (ioredis); in process memory when absent. */
  readonly redis?: Redis;
  /** Key namespace in Redis; default "dspex:rl:lm". */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  /** A store failure while correcting a finished call's tokens (the call's result is kept; the estimate stays counted). */
  readonly onError?: (error: unknown) => void;
}

export interface LMRateLimiter extends LMMiddleware {
  /** Requests and tokens counted in the current window for a provider (and model). */
  usage(provider: string, model?: string): Promise<{ readonly requests: number; readonly tokens: number }>;
  /** Calls waiting in line, over every (provider, model). */
  waiting(): number;
}

const Rule = z
  .object({
    provider: z.string().min(1, { message: "must name the LM's provider, e.g. \"openai\"" }),
    model: z.string().min(1, { message: "must be a model name, or be left out to limit the whole provider" }).optional(),
    requestsPerMinute: positiveInt("a whole number of requests per window > 0").optional(),
    tokensPerMinute: positiveInt("a whole number of tokens per window > 0").optional(),
  })
  .strict()
  .refine((r) => r.requestsPerMinute !== undefined || r.tokensPerMinute !== undefined, { message: "must set requestsPerMinute, tokensPerMinute or both" });

const Schema = z
  .object({
    limits: z.array(Rule, { message: "must be a list of { provider, model?, requestsPerMinute?, tokensPerMinute? }" }),
    windowMs: positiveInt("a whole number of milliseconds > 0, e.g. 60000").default(60_000),
    buckets: positiveInt("a whole number of slices per window between 1 and 60").max(60, { message: "must be at most 60 slices per window" }).default(20),
    marginMs: z.number({ message: "must be a number of milliseconds >= 0" }).nonnegative({ message: "must be a number of milliseconds >= 0" }).optional(),
    maxWaitMs: positiveInt("a whole number of milliseconds > 0").default(60_000),
    maxQueue: positiveInt("a whole number of waiting calls > 0").default(10_000),
    defaultMaxOutputTokens: positiveInt("a whole number of tokens > 0").default(DEFAULT_MAX_OUTPUT_TOKENS),
    redis: withMethods<Redis>("an ioredis client", "eval", "multi", "defineCommand").optional(),
    keyPrefix: z.string().min(1, { message: "must be a non-empty string" }).default("dspex:rl:lm"),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
    onError: fn<(error: unknown) => void>("a function").optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.limits.forEach((r, i) => {
      const key = `${r.provider}\u0000${r.model ?? ""}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["limits", i], message: `repeats the limit for provider "${r.provider}"${r.model ? ` model "${r.model}"` : ""}; merge the two entries` });
      seen.add(key);
    });
  });

interface Need {
  readonly counter: SlidingWindowCounter;
  readonly key: string;
  readonly n: number;
  readonly tokens: boolean;
  readonly what: string;
}

interface Taken {
  readonly need: Need;
  readonly slot: Slot;
}

export function withRateLimit(options: LMRateLimitOptions): LMRateLimiter {
  const o = parseOptions("withRateLimit", Schema, options);
  const clock = o.clock ?? systemClock();
  const gates = new Map<string, FifoGate<Taken[]>>();
  const counters = o.limits.map((rule) => {
    const base = { windowMs: o.windowMs, buckets: o.buckets, marginMs: o.marginMs ?? o.windowMs / o.buckets, clock, ...(o.redis && { redis: o.redis }) };
    const name = `${rule.provider}:${rule.model ?? "*"}`;
    return {
      rule,
      name,
      requests: rule.requestsPerMinute !== undefined ? new SlidingWindowCounter({ ...base, limit: rule.requestsPerMinute, keyPrefix: `${o.keyPrefix}:req` }) : undefined,
      tokens: rule.tokensPerMinute !== undefined ? new SlidingWindowCounter({ ...base, limit: rule.tokensPerMinute, keyPrefix: `${o.keyPrefix}:tok` }) : undefined,
    };
  });

  const rulesFor = (provider: string, model: string | undefined) => counters.filter((c) => c.rule.provider === provider && (c.rule.model === undefined || c.rule.model === model));

  function gateFor(provider: string, model: string | undefined): FifoGate<Taken[]> {
    const key = `${provider}\u0000${model ?? ""}`;
    let gate = gates.get(key);
    if (gate === undefined) {
      gate = new FifoGate<Taken[]>(clock, o.maxQueue);
      gates.set(key, gate);
    }
    return gate;
  }

  const wakeAll = () => {
    for (const gate of gates.values()) gate.wake();
  };

  async function takeAll(needs: readonly Need[]) {
    const taken: Taken[] = [];
    for (const need of needs) {
      const r = await need.counter.take(need.key, need.n);
      if (!r.ok) {
        await Promise.all(taken.map((t) => t.need.counter.giveBack(t.slot, t.need.n)));
        return { ok: false as const, retryAfterMs: r.retryAfterMs };
      }
      taken.push({ need, slot: r.slot });
    }
    return { ok: true as const, value: taken };
  }

  async function giveBack(taken: readonly Taken[]): Promise<void> {
    await Promise.all(taken.map((t) => t.need.counter.giveBack(t.slot, t.need.n)));
    wakeAll();
  }

  /** Corrects token reservations to the tokens really used. */
  async function reconcile(taken: readonly Taken[], used: number): Promise<void> {
    let returned = false;
    await Promise.all(
      taken
        .filter((t) => t.need.tokens)
        .map((t) => {
          const delta = used - t.need.n;
          if (delta < 0) returned = true;
          return delta < 0 ? t.need.counter.giveBack(t.slot, -delta) : t.need.counter.add(t.slot, delta);
        }),
    );
    if (returned) wakeAll();
  }

  const middleware = (inner: LM): LM =>
    hookLM<readonly Taken[]>(inner, {
      async enter(request, callOptions) {
        const provider = inner.provider;
        const model = modelOf(request, inner);
        const rules = rulesFor(provider, model);
        if (rules.length === 0) return [];
        const estimate = rules.some((r) => r.tokens) ? (await estimateRequestTokens(request, o.defaultMaxOutputTokens)).totalTokens : 0;
        const who = `${provider}${model ? ` "${model}"` : ""}`;
        const needs: Need[] = [];
        for (const r of rules) {
          if (r.requests) needs.push({ counter: r.requests, key: r.name, n: 1, tokens: false, what: `${r.rule.requestsPerMinute} requests` });
          if (r.tokens) {
            if (estimate > r.tokens.limit) {
              throw new RateLimitedError(
                `${who}: this call needs an estimated ${estimate} tokens (prompt + maxTokens) but the limit "${r.name}" allows ${r.tokens.limit} tokens per ${o.windowMs} ms; lower maxTokens or raise tokensPerMinute`,
                { reason: "too-large", provider, ...(model && { model }), waitedMs: 0 },
              );
            }
            needs.push({ counter: r.tokens, key: r.name, n: estimate, tokens: true, what: `${r.rule.tokensPerMinute} tokens` });
          }
        }
        const limits = needs.map((n) => `${n.what} per ${o.windowMs} ms (${n.key})`).join(", ");
        return gateFor(provider, model).acquire({
          tryAcquire: () => takeAll(needs),
          release: giveBack,
          maxWaitMs: o.maxWaitMs,
          ...(callOptions?.signal && { signal: callOptions.signal }),
          ...(callOptions?.priority && { priority: callOptions.priority }),
          timeoutError: (waitedMs, retryAfterMs) =>
            new RateLimitedError(
              `${who}: waited ${Math.round(waitedMs)} ms for rate-limit capacity (${limits}) without getting it; raise maxWaitMs or the limits, or send fewer calls`,
              { reason: "wait-exceeded", provider, ...(model && { model }), waitedMs, ...(retryAfterMs !== undefined && { retryAfterMs }) },
            ),
          abortError: () => abortedError(`${who}: waiting for rate-limit capacity`, callOptions!.signal!),
          queueFullError: () =>
            new RateLimitedError(`${who}: ${o.maxQueue} calls are already waiting for rate-limit capacity (${limits}); raise maxQueue or send fewer calls`, {
              reason: "queue-full",
              provider,
              ...(model && { model }),
              waitedMs: 0,
            }),
        });
      },
      async exit(taken, outcome) {
        // A sent call counts (the provider saw it); only a success tells the tokens really used.
        try {
          if ("response" in outcome && !outcome.response.cacheHit) await reconcile(taken, usedTokens(outcome.response.usage));
          else if ("response" in outcome) await giveBack(taken);
        } catch (error) {
          o.onError?.(error);
        }
      },
    });

  return Object.assign(middleware, {
    async usage(provider: string, model?: string) {
      const found = counters.find((c) => c.rule.provider === provider && c.rule.model === model);
      return { requests: (await found?.requests?.used(found.name)) ?? 0, tokens: (await found?.tokens?.used(found.name)) ?? 0 };
    },
    waiting: () => [...gates.values()].reduce((n, g) => n + g.size, 0),
  });
}
