// The LM every run and job uses: the configured provider (or the offline demo model) with its
// cost meter, inside the resource chain (budgets, retries, breakers, rate limits, timeouts).
import type { Config } from "../config";
import type { Database } from "../db";
import { createLM, createPriceTable, type LM, type PriceTable } from "../dspex";
import { loadPriceOverrides } from "./store/price-overrides";
import type { Redis } from "ioredis";
import type { Logger } from "../log";
import { createBudgetGuard, createDatabaseLedger, resourceChain, type BudgetLimit, type BudgetScopes, type ResourceChain, type ResourceEvent } from "./resources";

export interface LMStack {
  /** The provider (or demo model) with the cost meter, outside any resource policy. */
  readonly base: LM;
  readonly prices: PriceTable;
  readonly chain: ResourceChain;
  /** The LM for work done on behalf of these scopes: budgets, retries, breaker and limits apply. */
  forScopes(scopes: BudgetScopes): LM;
  /** Forget cached budget limits (after a budget is edited). */
  refreshBudgets(): void;
  /** Reloads the stored price overrides; calls charged from then on use them. */
  refreshPrices(): Promise<void>;
  /** Stops reloading price overrides. */
  stop(): void;
}

const BUDGET_CACHE_MS = 5_000;

export interface LMStackOptions {
  readonly config: Config;
  readonly db: Database;
  readonly log: Logger;
  readonly onEvent: (event: ResourceEvent) => void;
  /** Shares the per-minute limits with every process on the same Redis (scaled-out mode). */
  readonly redis?: Redis;
}

export function createLMStack(options: LMStackOptions): LMStack {
  const { config, db } = options;
  // The table every call is charged by: the maintained prices with the stored overrides on top,
  // swapped whole when the overrides change (a call in flight keeps the table it started with).
  const basePrices = createPriceTable();
  let current: PriceTable = basePrices;
  const prices: PriceTable = {
    ready: async () => {
      await current.ready();
      return prices;
    },
    get loaded() {
      return current.loaded;
    },
    get seedError() {
      return current.seedError;
    },
    lookup: (model, provider) => current.lookup(model, provider),
    cost: (usage, model, provider) => current.cost(usage, model, provider),
    withOverrides: (entries) => current.withOverrides(entries),
  };
  const refreshPrices = async () => {
    await basePrices.ready();
    current = basePrices.withOverrides(await loadPriceOverrides(db.prisma));
  };
  // Overrides dated in the future start to apply within a minute of their time.
  const pricesTimer = setInterval(() => void refreshPrices().catch((err: unknown) => options.log.error({ err }, "could not reload price overrides")), 60_000);
  pricesTimer.unref();
  void refreshPrices().catch((err: unknown) => options.log.error({ err }, "could not load price overrides"));
  const base = createLM({
    ...(config.lm.baseUrl ? { baseURL: config.lm.baseUrl, apiKey: config.lm.apiKey ?? "none", provider: "custom" as const } : {}),
    ...(config.lm.model ? { model: config.lm.model } : {}),
    // The resource chain retries (honouring Retry-After) for every provider the same way.
    maxRetries: 0,
    demo: { latencyMs: config.demoLatencyMs },
    prices,
  });

  let cached: { at: number; limits: Promise<readonly BudgetLimit[]> } | undefined;
  const limits = () => {
    const now = Date.now();
    if (!cached || now - cached.at > BUDGET_CACHE_MS) {
      cached = {
        at: now,
        limits: db.prisma.budget
          .findMany()
          .then((rows) => rows.map((b) => ({ scope: b.scope, scopeId: b.scopeId, period: b.period, limitUsd: b.limitUsd.toString() })))
          .catch((err: unknown) => {
            options.log.error({ err }, "could not read budgets; keeping the last known limits");
            cached = undefined;
            return [];
          }),
      };
    }
    return cached.limits;
  };
  const budget = createBudgetGuard({ prices, limits, ledger: createDatabaseLedger(db), onEvent: options.onEvent, onError: (err) => options.log.error({ err }, "budget ledger") });
  const { requestsPerMinute, tokensPerMinute, concurrency, timeoutMs } = config.lmLimits;
  const chain = resourceChain({
    budget,
    onEvent: options.onEvent,
    timeoutMs,
    ...(requestsPerMinute || tokensPerMinute
      ? { rateLimits: { limits: [{ provider: base.provider, ...(requestsPerMinute ? { requestsPerMinute } : {}), ...(tokensPerMinute ? { tokensPerMinute } : {}) }], ...(options.redis ? { redis: options.redis } : {}) } }
      : {}),
    ...(concurrency ? { concurrency: { limits: { [base.provider]: concurrency } } } : {}),
  });
  return {
    base,
    prices,
    chain,
    forScopes: (scopes) => chain.wrap(base, scopes),
    refreshBudgets: () => {
      cached = undefined;
    },
    refreshPrices,
    stop: () => clearInterval(pricesTimer),
  };
}
