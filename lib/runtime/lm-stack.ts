// The LM every run and job uses: a router over the providers in Settings and the environment's
// bootstrap provider (or the offline demo model when nothing is configured), each client with its
// cost meter, inside the resource chain (budgets, retries, breakers, rate limits, timeouts).
import type { Config } from "../config";
import type { Database } from "../db";
import { createLM, createPriceTable, withCostMeter, type LM, type LMCallPriority, type PriceTable } from "../dspex";
import { BOOTSTRAP_PROVIDER, bootstrapProvider, createProviderRouter, DEMO_PROVIDER, kindInfo, loadProviderConnections, type ProviderConnection } from "./providers";
import type { SecretBox } from "./secrets";
import { listProviders, providersVersion } from "./store/providers";
import { loadPriceOverrides } from "./store/price-overrides";
import { budgetLimits } from "./store/budgets";
import { isBudgetRefusal, type DescribeCall } from "./events/call-facts";
import type { Redis } from "ioredis";
import type { Logger } from "../log";
import { coalescingLedger, createBudgetGuard, createDatabaseLedger, resourceChain, type BudgetLimit, type BudgetScopes, type ResourceChain, type ResourceEvent } from "./resources";

export interface LMStack {
  /** The router over every provider (and the demo model), with cost meters, outside any resource policy. */
  readonly base: LM;
  /** The providers calls can use now (the environment's first). */
  readonly providers: readonly ProviderConnection[];
  /** Which provider and model a model reference ("provider/model" or a bare model) goes to; throws LM_NOT_CONFIGURED. */
  resolve(reference: string | undefined): { readonly provider: string; readonly model: string | undefined };
  /** Reloads the providers from the database (after a change in Settings); calls from then on use them. */
  refreshProviders(): Promise<void>;
  /** For the call recorders: the provider that served a call, whether its price is unknown, whether a budget refused it. */
  readonly describeCall: DescribeCall;
  readonly prices: PriceTable;
  readonly chain: ResourceChain;
  /**
   * The LM for work done on behalf of these scopes: budgets, retries, breaker and limits apply.
   * Background work (optimizations, agents) passes priority "background" and waits behind
   * predictions and the playground when the provider's limits bind.
   */
  forScopes(scopes: BudgetScopes, priority?: LMCallPriority): LM;
  /** Forget cached budget limits (after a budget is edited). */
  refreshBudgets(): void;
  /** Reloads the stored price overrides; calls charged from then on use them. */
  refreshPrices(): Promise<void>;
  /** Stops reloading price overrides. */
  stop(): void;
}

const BUDGET_CACHE_MS = 5_000;
/** Scoped LMs kept (programs x API keys in use); past it the cache starts over. */
const SCOPED_LMS = 1_000;

export interface LMStackOptions {
  readonly config: Config;
  readonly db: Database;
  readonly log: Logger;
  readonly onEvent: (event: ResourceEvent) => void;
  /** Shares the per-minute limits with every process on the same Redis (scaled-out mode). */
  readonly redis?: Redis;
  /** Opens the providers' stored keys; without it, providers with a key fail with a clear error. */
  readonly secrets?: SecretBox;
  /** How often other processes' provider changes are looked for (ms); default 5000. */
  readonly providersPollMs?: number;
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
    lookup: (model, provider) => current.lookup(model, priceProvider(provider)),
    cost: (usage, model, provider) => current.cost(usage, model, priceProvider(provider)),
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
  const router = createProviderRouter({ demo: createLM({ demo: { latencyMs: config.demoLatencyMs }, prices }), wrap: withCostMeter({ prices }) });
  // Calls carry the Settings name of their provider; prices are looked up by the kind behind it.
  function priceProvider(provider: string | undefined): string | undefined {
    if (provider === undefined) return undefined;
    const p = router.providers.find((c) => c.name === provider);
    return p ? kindInfo(p.kind).priceProvider : provider;
  }
  let seenVersion: string | undefined;
  const refreshProviders = async () => {
    const [rows, version] = await Promise.all([listProviders(db.prisma), providersVersion(db.prisma)]);
    router.replace(await loadProviderConnections(rows, config, options.secrets));
    seenVersion = version;
  };
  const providersReady = refreshProviders().catch((err: unknown) => options.log.error({ err }, "could not load providers; using the environment's only"));
  router.replace(bootstrapOnly(config));
  // Another process's change (or this one's, by another path) shows in the version probe.
  const providersTimer = setInterval(() => {
    void providersVersion(db.prisma)
      .then((version) => (version !== seenVersion ? refreshProviders() : undefined))
      .catch((err: unknown) => options.log.warn({ err }, "could not check providers for changes"));
  }, options.providersPollMs ?? 5_000);
  providersTimer.unref();
  const base = gated(router.lm, providersReady);

  let cached: { at: number; limits: Promise<readonly BudgetLimit[]> } | undefined;
  const limits = () => {
    const now = Date.now();
    if (!cached || now - cached.at > BUDGET_CACHE_MS) {
      cached = {
        at: now,
        limits: budgetLimits(db.prisma).catch((err: unknown) => {
            options.log.error({ err }, "could not read budgets; keeping the last known limits");
            cached = undefined;
            return [];
          }),
      };
    }
    return cached.limits;
  };
  const budget = createBudgetGuard({ prices, limits, ledger: coalescingLedger(createDatabaseLedger(db)), onEvent: options.onEvent, onError: (err) => options.log.error({ err }, "budget ledger") });
  const scoped = new Map<string, LM>();
  const { requestsPerMinute, tokensPerMinute, concurrency, timeoutMs, maxWaitMs } = config.lmLimits;
  // The environment's limits are for the environment's endpoint (or the demo model standing in for it).
  const limited = config.lm.baseUrl ? BOOTSTRAP_PROVIDER : DEMO_PROVIDER;
  const chain = resourceChain({
    budget,
    onEvent: options.onEvent,
    timeoutMs,
    ...(requestsPerMinute || tokensPerMinute
      ? { rateLimits: { limits: [{ provider: limited, ...(requestsPerMinute ? { requestsPerMinute } : {}), ...(tokensPerMinute ? { tokensPerMinute } : {}) }], maxWaitMs, ...(options.redis ? { redis: options.redis } : {}) } }
      : {}),
    ...(concurrency ? { concurrency: { limits: { [limited]: concurrency } } } : {}),
  });
  return {
    base,
    get providers() {
      return router.providers;
    },
    resolve: (reference) => router.resolve(reference),
    describeCall(call) {
      let { provider, model } = call;
      if (provider === "router") {
        try {
          const r = router.resolve(model);
          provider = r.provider;
          model = r.model ?? model;
        } catch {
          // A model no provider serves stays as it was named.
        }
      }
      const refused = isBudgetRefusal(call.error, call.cause);
      const failed = call.error !== undefined && call.error !== null;
      const priceUnknown = !refused && !failed && !call.cacheHit && prices.loaded && prices.lookup(model, provider) === undefined;
      return { provider, model, priceUnknown, refused };
    },
    refreshProviders,
    prices,
    chain,
    // Each provider's client sits in its own resource chain: one provider failing opens its breaker only.
    // The wrapped LMs hold no state of their own (limits, breakers and reservations live in the
    // chain, clients in the router, rebuilt when the providers change), so one per scope and
    // priority serves every request of that program and key.
    forScopes(scopes, priority) {
      const key = `${scopes.programId ?? ""}\u0000${scopes.optimizationId ?? ""}\u0000${scopes.apiKeyId ?? ""}\u0000${priority ?? ""}`;
      let lm = scoped.get(key);
      if (lm === undefined) {
        if (scoped.size >= SCOPED_LMS) scoped.clear();
        scoped.set(key, (lm = gated(router.wrapped((inner) => chain.wrap(inner, scopes, priority)), providersReady)));
      }
      return lm;
    },
    refreshBudgets: () => {
      cached = undefined;
    },
    refreshPrices,
    stop: () => {
      clearInterval(pricesTimer);
      clearInterval(providersTimer);
    },
  };
}

function bootstrapOnly(config: Config): ProviderConnection[] {
  const env = bootstrapProvider(config);
  return env ? [env] : [];
}

/** Calls wait for the first load of the providers (a few ms at start-up), then go straight through. */
function gated(lm: LM, ready: Promise<unknown>): LM {
  let open = false;
  void ready.then(() => (open = true));
  const wait = async () => {
    if (!open) await ready;
  };
  return {
    provider: lm.provider,
    get defaultModel() {
      return lm.defaultModel;
    },
    complete: async (request, options) => (await wait(), lm.complete(request, options)),
    async *stream(request, options) {
      await wait();
      yield* lm.stream!(request, options);
    },
  };
}
