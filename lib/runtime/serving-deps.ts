// The serving API's dependencies, built from the running runtime: the run recorder on the event
// stream, the LM stack scoped to the run, the per-key rate limits and the job queue.
import { createRunTracer } from "./events";
import { enqueueOptimization } from "./jobs";
import type { Runtime } from "./runtime";
import { marketplaceControl, type MarketplaceSource } from "./services";
import { createRateLimiter, type RateLimiter } from "./resources";
import type { ApiKeyLimiter, OptimizationJobs, ServingDeps } from "./serving";

/** One sliding-window limiter per distinct per-minute limit (keys may carry their own). */
export function apiKeyLimiter(defaultPerMinute: number): ApiKeyLimiter {
  const limiters = new Map<number, RateLimiter>();
  const limiterFor = (limit: number) => {
    let l = limiters.get(limit);
    if (!l) limiters.set(limit, (l = createRateLimiter({ points: limit, keyPrefix: `dspex:rl:keys:${limit}` })));
    return l;
  };
  return {
    async check(keyId, limitPerMinute, cost = 1) {
      const limit = limitPerMinute ?? defaultPerMinute;
      // A batch larger than the whole per-minute limit can never fit: refuse it for a window.
      if (cost > limit) return { allowed: false, retryAfterMs: 60_000 };
      const decision = await limiterFor(limit).check(keyId, cost);
      return decision.allowed ? { allowed: true } : { allowed: false, retryAfterMs: Math.max(1, decision.retryAfterMs) };
    },
  };
}

/** Optimizations go through enqueueOptimization, which records the job on the optimization row. */
export function optimizationJobs(runtime: Runtime): OptimizationJobs {
  return {
    enqueue: async (_kind, payload) => ({ id: (await enqueueOptimization(runtime.jobs, runtime.db.prisma, payload.optimizationId)).jobId }),
    cancel: (jobId) => runtime.jobs.cancel(jobId),
  };
}

/** The marketplace as this runtime has it: its skill registry, its policy, its declared systems. */
export function marketplaceSource(runtime: Runtime): MarketplaceSource {
  return { store: runtime.store, registry: runtime.skills, enabled: (action) => runtime.marketplace.enabled(action), systems: () => runtime.agentSystems.definitions() };
}

export function servingDeps(runtime: Runtime, jobs: OptimizationJobs = optimizationJobs(runtime), overload?: ServingDeps["overload"]): ServingDeps {
  return {
    options: runtime.config.limits,
    ...(overload && { overload }),
    store: runtime.store,
    registry: runtime.programs.registry,
    resolver: runtime.programs.resolver,
    lmFor: (scopes) => runtime.lm.forScopes({ programId: scopes.programId, ...(scopes.apiKeyId ? { apiKeyId: scopes.apiKeyId } : {}) }),
    createRunTracer(init) {
      const recorder = createRunTracer(runtime.bus, { ...init, describeCall: runtime.lm.describeCall });
      return {
        tracer: recorder,
        runId: recorder.runId,
        traceId: recorder.traceId,
        finish: async (status, output, error) => {
          // The run's end is committed before the caller is answered (group commit: concurrent
          // requests share one write), so no answer is ever lost to a crash.
          const summary = await recorder.finish({ status, output, error }, { durable: true });
          return { usage: summary.usage, costUsd: summary.costUsd, latencyMs: summary.latencyMs };
        },
      };
    },
    limiter: apiKeyLimiter(runtime.config.apiRateLimitPerMinute),
    jobs,
    apiKeyUsage: runtime.apiKeys.usage,
    prices: runtime.lm.prices,
    servedBy: (model) => runtime.lm.resolve(model),
    onPricesChanged: () => runtime.lm.refreshPrices(),
    secrets: runtime.secrets,
    bootstrapProvider: () => runtime.lm.providers.find((p) => p.bootstrap),
    onProvidersChanged: () => runtime.lm.refreshProviders(),
    supervisor: runtime.supervisor,
    agentJobs: runtime.jobs,
    agentSystems: runtime.agentSystems,
    marketplace: marketplaceControl(marketplaceSource(runtime), (action, enabled, userId) => runtime.marketplace.setEnabled(action, enabled, userId)),
    experimentJobs: runtime.jobs,
    refreshBudgets: () => runtime.lm.refreshBudgets(),
    flushEvents: () => runtime.events.flush(),
    changes: runtime.changes,
    onError: (error, context) => runtime.log.error({ err: error, route: context.route }, "serving API: unexpected failure"),
  };
}
