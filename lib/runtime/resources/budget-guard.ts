// The budget guard: before an LM call, reserves the most the call can cost against every budget
// that applies to it (global, and the call's program, optimization and API key; per day, month or
// in total, in UTC windows). That bound is reservationBound(): the prompt's tokens counted (tools
// and response schema included, with a margin for other tokenizers) plus the call's output cap, at
// the model's dearest rates. A call that sets no output cap is sent with the guard's (default 512
// tokens), so the bound holds; a reply cut off at that cap is asked for once more with four times
// the cap, under a reservation of its own, and both are charged. A reservation is a provisional
// charge in the ledger, taken only if recorded spend + reservations of calls in flight + this
// bound stay within the limit; otherwise the call is refused with BUDGET_EXCEEDED. After the call
// the charge is released to the exact cost (0 for a failure or a cache hit). So concurrent calls
// never overspend. A call to a model with no known price is refused while a budget applies (fail
// closed); a price of 0 marks a model free. Calls no budget applies to are passed on unchanged.
//
// Scopes reach the guard through the middleware factory: `guard.middleware({ programId, ... })`
// wraps an LM for one run (the reservations and ledger are shared by every wrapped LM).

import { z } from "zod";
import { addUsage, reservationBound } from "../../dspex";
import type { LM, LMCallOptions, LMMiddleware, LMRequest, LMResponse, PriceTable } from "../../dspex";
import type { RuntimeEventPayload } from "../../schemas";
import { systemClock, type Clock } from "../clock";
import { BudgetLimitExceededError, BudgetPriceUnknownError } from "./errors";
import { createMemoryLedger, type SpendLedger } from "./ledger";
import { fn, parseOptions, positiveInt, withMethods } from "./options";
import { nanoToUsd, picoToNanoCeil, scopeIdFor, spendKeyText, usdToNano, windowStart } from "./budget-types";
import type { BudgetLimit, BudgetScopes, SpendKey } from "./budget-types";
import { modelOf, type Outcome } from "./wrap-lm";

/** The output cap (tokens per choice) the guard sets on a call that sets none. */
export const DEFAULT_BUDGET_OUTPUT_CAP = 512;
/** A reply cut off at the guard's cap is asked for again with this many times the cap. */
const CAP_RAISE = 4;

export type BudgetStatus = RuntimeEventPayload<"budget:status">;
export type BudgetEvent = { readonly name: "budget:status"; readonly payload: BudgetStatus };

export interface BudgetGuardOptions {
  /** Prices estimates and actual costs (awaits `ready()` itself). */
  readonly prices: PriceTable;
  /** The limits, or a function returning them (called per call: cache it if it reads the database). */
  readonly limits: readonly BudgetLimit[] | (() => readonly BudgetLimit[] | Promise<readonly BudgetLimit[]>);
  /** Default: in process memory (createMemoryLedger). Use createDatabaseLedger to persist and share. */
  readonly ledger?: SpendLedger;
  /** The output cap (tokens per choice) sent with a call that sets no maxTokens while a budget applies; default 512. */
  readonly defaultMaxOutputTokens?: number;
  /** Receives `budget:status` after every settled call and for every refusal. */
  readonly onEvent?: (event: BudgetEvent) => void;
  /**
   * A ledger failure while settling a call that already happened: the call's result is kept (not
   * failed, so it is not retried and paid twice) and the ledger keeps the estimate charged.
   */
  readonly onError?: (error: unknown) => void;
  readonly clock?: Clock;
}

/** Money reserved for one call; settle it exactly once with the actual cost. */
export interface Reservation {
  readonly estimateUsd: number;
  settle(actualUsd: number): Promise<void>;
}

export interface BudgetGuard {
  /** An LM middleware for calls made on behalf of these scopes. */
  middleware(scopes?: BudgetScopes): LMMiddleware;
  /** Reserves an amount (USD) for other spending, under the same rules as an LM call. */
  reserve(scopes: BudgetScopes, estimateUsd: number): Promise<Reservation>;
  /** The status of every budget that applies to these scopes, in the current windows. */
  status(scopes?: BudgetScopes): Promise<BudgetStatus[]>;
}

const USD = { message: 'must be an amount in USD >= 0, a number or a decimal string such as "25.50"' };

const LimitSchema = z
  .object({
    scope: z.enum(["global", "program", "optimization", "apiKey"], { message: 'must be "global", "program", "optimization" or "apiKey"' }),
    scopeId: z.string({ message: "must be a string" }).optional(),
    period: z.enum(["day", "month", "total"], { message: 'must be "day", "month" or "total"' }),
    limitUsd: z.union([z.number().nonnegative(USD).finite(USD), z.string().regex(/^\d+(\.\d+)?$/, USD)], USD),
  })
  .strict()
  .refine((l) => (l.scope === "global" ? (l.scopeId ?? "") === "" : (l.scopeId ?? "") !== ""), { message: "must be empty for the global scope and name the program, optimization or API key otherwise", path: ["scopeId"] });

const Schema = z
  .object({
    prices: withMethods<PriceTable>("a PriceTable (createPriceTable)", "ready", "lookup", "cost"),
    limits: z.union([z.array(z.unknown()), fn<() => readonly BudgetLimit[]>("a function")], { message: "must be a list of budget limits or a function returning one" }),
    ledger: withMethods<SpendLedger>("a SpendLedger", "tryAdd", "add", "spent").optional(),
    defaultMaxOutputTokens: positiveInt("a whole number of tokens > 0").default(DEFAULT_BUDGET_OUTPUT_CAP),
    onEvent: fn<(event: BudgetEvent) => void>("a function").optional(),
    onError: fn<(error: unknown) => void>("a function").optional(),
    clock: withMethods<Clock>("a Clock", "now", "setTimeout", "clearTimeout").optional(),
  })
  .strict();

const ScopesSchema = z
  .object({
    programId: z.string().min(1, { message: "must be a non-empty id" }).optional(),
    optimizationId: z.string().min(1, { message: "must be a non-empty id" }).optional(),
    apiKeyId: z.string().min(1, { message: "must be a non-empty id" }).optional(),
  })
  .strict();

interface Limit {
  readonly scope: BudgetLimit["scope"];
  readonly scopeId: string;
  readonly period: BudgetLimit["period"];
  readonly nano: bigint;
}

interface Entry {
  readonly limit: Limit;
  readonly key: SpendKey;
}

const LimitsSchema = z
  .object({ limits: z.array(LimitSchema, { message: "must be a list of { scope, scopeId, period, limitUsd }" }) })
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.limits.forEach((l, i) => {
      const id = `${l.scope}|${l.scopeId ?? ""}|${l.period}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["limits", i], message: `repeats the ${l.period} limit of ${l.scope}${l.scopeId ? ` "${l.scopeId}"` : ""}; keep one` });
      seen.add(id);
    });
  });

function parseLimits(raw: unknown): Limit[] {
  const { limits } = parseOptions("createBudgetGuard", LimitsSchema, { limits: raw });
  return limits.map((l, i) => ({ scope: l.scope, scopeId: l.scopeId ?? "", period: l.period, nano: usdToNano(l.limitUsd, `createBudgetGuard: limits[${i}].limitUsd`) }));
}

export function createBudgetGuard(options: BudgetGuardOptions): BudgetGuard {
  const o = parseOptions("createBudgetGuard", Schema, options);
  const clock = o.clock ?? systemClock();
  const ledger = o.ledger ?? createMemoryLedger();
  const prices = o.prices;
  const fixed = Array.isArray(o.limits) ? parseLimits(o.limits) : undefined;
  const source = o.limits as BudgetGuardOptions["limits"];
  /** Nanodollars reserved by this process's calls in flight, per ledger key. */
  const inFlight = new Map<string, bigint>();

  // The source usually hands back the same list until the budgets change: it is parsed once per list.
  let lastRaw: readonly BudgetLimit[] | undefined;
  let lastParsed: Limit[] = [];
  async function limits(): Promise<Limit[]> {
    if (fixed !== undefined) return fixed;
    const raw = await (source as () => readonly BudgetLimit[] | Promise<readonly BudgetLimit[]>)();
    if (raw !== lastRaw) {
      lastParsed = parseLimits(raw);
      lastRaw = raw;
    }
    return lastParsed;
  }

  async function entriesFor(scopes: BudgetScopes): Promise<Entry[]> {
    const now = clock.now();
    return (await limits())
      .filter((l) => scopeIdFor(l.scope, scopes) === l.scopeId)
      .map((limit) => ({ limit, key: { scope: limit.scope, scopeId: limit.scopeId, period: limit.period, windowStart: windowStart(limit.period, now) } }))
      .sort((a, b) => spendKeyText(a.key).localeCompare(spendKeyText(b.key)));
  }

  const local = (key: SpendKey) => inFlight.get(spendKeyText(key)) ?? 0n;
  const track = (key: SpendKey, delta: bigint) => {
    const next = local(key) + delta;
    if (next === 0n) inFlight.delete(spendKeyText(key));
    else inFlight.set(spendKeyText(key), next);
  };

  function report(entry: Entry, ledgerNano: bigint, exhausted: boolean): void {
    if (!o.onEvent) return;
    const spent = ledgerNano - local(entry.key);
    const { scope, scopeId, period } = entry.limit;
    o.onEvent({
      name: "budget:status",
      payload: { scope, scopeId, period, limitUsd: nanoToUsd(entry.limit.nano), spentUsd: nanoToUsd(spent < 0n ? 0n : spent), exhausted: exhausted || ledgerNano >= entry.limit.nano, at: new Date(clock.now()).toISOString() },
    });
  }

  /** `scopes` already parsed (by middleware() or reserve()). */
  async function reserveNano(scopes: BudgetScopes, estimate: (first: Entry) => Promise<bigint>): Promise<(actualNano: bigint) => Promise<void>> {
    const entries = await entriesFor(scopes);
    if (entries.length === 0) return async () => undefined;
    const estimateNano = await estimate(entries[0]!);
    const taken: Entry[] = [];
    for (const entry of entries) {
      const r = await ledger.tryAdd(entry.key, estimateNano, entry.limit.nano);
      if (!r.ok) {
        await Promise.all(taken.map((t) => ledger.add(t.key, -estimateNano).finally(() => track(t.key, -estimateNano))));
        report(entry, r.spentNano, true);
        throw new BudgetLimitExceededError({
          scope: entry.limit.scope,
          scopeId: entry.limit.scopeId,
          period: entry.limit.period,
          windowStart: entry.key.windowStart,
          limitUsd: nanoToUsd(entry.limit.nano),
          spentUsd: nanoToUsd(r.spentNano),
          estimateUsd: nanoToUsd(estimateNano),
        });
      }
      track(entry.key, estimateNano);
      taken.push(entry);
    }
    let settled = false;
    return async (actualNano) => {
      if (settled) return;
      settled = true;
      await Promise.all(
        taken.map(async (entry) => {
          let after: bigint;
          try {
            after = await ledger.add(entry.key, actualNano - estimateNano);
          } finally {
            track(entry.key, -estimateNano);
          }
          report(entry, after, false);
        }),
      );
    };
  }

  /** The bound of this request as it will be sent; refuses a model with no known price. */
  async function boundNano(inner: LM, request: LMRequest, entry: Entry): Promise<bigint> {
    const model = modelOf(request, inner);
    const bound = await reservationBound(request, { prices, provider: inner.provider, ...(model !== undefined && { model }) });
    // Fail closed: a call whose cost cannot be known cannot be held to a limit in money.
    if (model === undefined || bound.picoUsd === null) {
      throw new BudgetPriceUnknownError({ scope: entry.limit.scope, scopeId: entry.limit.scopeId, period: entry.limit.period, model: model ?? "(no model named)", provider: inner.provider });
    }
    return picoToNanoCeil(bound.picoUsd);
  }

  /** Settles a reservation from the call's outcome: the real cost, or 0 for a failure or a cache hit. */
  async function settleOutcome(settle: (actualNano: bigint) => Promise<void>, outcome: Outcome): Promise<void> {
    try {
      if (!("response" in outcome) || outcome.response.cacheHit) await settle(0n);
      else {
        const r = outcome.response;
        if (!prices.loaded) await prices.ready();
        await settle(picoToNanoCeil(prices.cost(r.usage, r.model, r.provider).picoUsd));
      }
    } catch (error) {
      o.onError?.(error);
    }
  }

  /**
   * Reserves the bound of a call while a budget applies to it; the request to send carries the
   * output cap the bound was priced at (the caller's, or `cap`). Without a budget, nothing changes.
   */
  async function take(scopes: BudgetScopes, inner: LM, request: LMRequest, cap: number): Promise<{ settle: (actualNano: bigint) => Promise<void>; send: LMRequest; capped: boolean }> {
    let send = request;
    const settle = await reserveNano(scopes, (first) => {
      if (request.maxTokens === undefined) send = { ...request, maxTokens: cap };
      return boundNano(inner, send, first);
    });
    return { settle, send, capped: send !== request };
  }

  /** Two provider calls answered as one: the second's reply, with both calls' usage, cost and time. */
  function joined(cut: LMResponse, whole: LMResponse): LMResponse {
    const costUsd = cut.costUsd !== undefined && whole.costUsd !== undefined ? cut.costUsd + whole.costUsd : undefined;
    const { costUsd: _ignored, ...rest } = whole;
    return {
      ...rest,
      usage: addUsage(cut.usage, whole.usage),
      ...(costUsd !== undefined && { costUsd }),
      latencyMs: cut.latencyMs + whole.latencyMs,
      retries: (cut.retries ?? 0) + (whole.retries ?? 0) + 1,
    };
  }

  function guarded(inner: LM, scopes: BudgetScopes): LM {
    const call = async (request: LMRequest, cap: number, options: LMCallOptions | undefined) => {
      const t = await take(scopes, inner, request, cap);
      let response: LMResponse;
      try {
        response = await inner.complete(t.send, options);
      } catch (error) {
        await settleOutcome(t.settle, { error });
        throw error;
      }
      await settleOutcome(t.settle, { response });
      return { response, capped: t.capped };
    };
    const lm: LM = {
      provider: inner.provider,
      ...(inner.defaultModel !== undefined && { defaultModel: inner.defaultModel }),
      async complete(request, options) {
        const first = await call(request, o.defaultMaxOutputTokens, options);
        if (!first.capped || first.response.finishReason !== "length") return first.response;
        // Cut off at the cap this guard set (the caller set none): once more with a larger cap.
        const second = await call(request, o.defaultMaxOutputTokens * CAP_RAISE, options);
        return joined(first.response, second.response);
      },
    };
    const innerStream = inner.stream?.bind(inner);
    if (innerStream !== undefined) {
      // A stream is shown as it comes, so it is never asked for twice: it runs under the cap.
      lm.stream = async function* (request, options) {
        const t = await take(scopes, inner, request, o.defaultMaxOutputTokens);
        let settled = false;
        try {
          for await (const event of innerStream(t.send, options)) {
            if (event.type === "done") {
              settled = true;
              await settleOutcome(t.settle, { response: event.response });
            }
            yield event;
          }
        } catch (error) {
          if (!settled) {
            settled = true;
            await settleOutcome(t.settle, { error });
          }
          throw error;
        } finally {
          if (!settled) await settleOutcome(t.settle, { abandoned: true });
        }
      };
    }
    return lm;
  }

  return {
    middleware(scopes = {}) {
      parseOptions("BudgetGuard.middleware scopes", ScopesSchema, scopes);
      return (inner: LM): LM => guarded(inner, scopes);
    },
    async reserve(scopes, estimateUsd) {
      parseOptions("BudgetGuard scopes", ScopesSchema, scopes);
      const estimate = usdToNano(estimateUsd, "estimateUsd");
      const settle = await reserveNano(scopes, async () => estimate);
      return { estimateUsd: nanoToUsd(estimate), settle: (actualUsd) => settle(usdToNano(actualUsd, "actualUsd")) };
    },
    async status(scopes = {}) {
      const entries = await entriesFor(scopes);
      return Promise.all(
        entries.map(async (entry) => {
          const spent = await ledger.spent(entry.key);
          const { scope, scopeId, period } = entry.limit;
          return { scope, scopeId, period, limitUsd: nanoToUsd(entry.limit.nano), spentUsd: nanoToUsd(spent), exhausted: spent >= entry.limit.nano, at: new Date(clock.now()).toISOString() };
        }),
      );
    },
  };
}
