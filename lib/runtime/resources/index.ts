// Resources of the runtime: rate limits (requests and tokens per minute, per provider and model),
// concurrency limits, timeouts, retries, circuit breakers and budgets in money, each an LM
// middleware, composed in one order by resourceChain; the same policies for background jobs.
export { resourceChain, withPriority, type ResourceChain, type ResourceChainOptions, type ResourceEvent } from "./chain";
export { withRateLimit, type LMRateLimiter, type LMRateLimitOptions, type RateLimitRule } from "./lm-rate-limit";
export { createRateLimiter, type RateLimiter, type RateLimiterOptions, type RateLimitDecision } from "./rate-limiter";
export { withConcurrency, type ConcurrencyLimiter, type ConcurrencyOptions } from "./concurrency";
export { withTimeout, runWithTimeout, type TimeoutOptions } from "./timeout";
export { withRetry, createRetryPolicy, type RetryInfo, type RetryOptions, type RetryPolicy } from "./retry";
export { backoffDelay, type BackoffOptions } from "./backoff";
export { createBreakers, type BreakerEvent, type BreakerOptions, type Breakers, type BreakerState } from "./breaker";
export { createBudgetGuard, type BudgetEvent, type BudgetGuard, type BudgetGuardOptions, type BudgetStatus, type Reservation } from "./budget-guard";
export { windowStart, type BudgetLimit, type BudgetPeriod, type BudgetScope, type BudgetScopes, type SpendKey } from "./budget-types";
export { createMemoryLedger, type SpendLedger, type TryAddResult } from "./ledger";
export { coalescingLedger } from "./coalescing-ledger";
export { createDatabaseLedger, reconcileLedger } from "./database-ledger";
export { createJobPolicy, type JobContext, type JobPolicy, type JobPolicyOptions } from "./jobs";
export { isJobFailure, isProviderFailure, isRetryable, retryAfterMsOf } from "./classify";
export { DEFAULT_MAX_OUTPUT_TOKENS, estimateRequestTokens, type TokenEstimate } from "./estimate";
export {
  BudgetLimitExceededError,
  BudgetPriceUnknownError,
  CircuitOpenError,
  ConcurrencyLimitedError,
  JobTimeoutError,
  RateLimitedError,
  ResourceError,
  ResourceOptionError,
  type RateLimitedReason,
  type ResourceErrorCode,
} from "./errors";
export { createEventLoopGuard, type EventLoopGuard, type EventLoopGuardOptions } from "./event-loop-guard";
