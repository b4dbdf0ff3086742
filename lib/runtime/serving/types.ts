// What the serving API needs from the rest of the runtime. The tracer, the API-key limiter, the
// budget-guarded LM and the job queue arrive as these small interfaces; the server wires the real
// ones, tests the in-memory versions in testing/.
import type { ChangeFeed } from "../changes";
import type { LM, PriceTable, ServedBy, Tracer } from "../../dspex";
import type { Usage } from "../../schemas";
import type { JobView } from "../jobs";
import type { ProgramRegistry, ProgramResolver } from "../programs";
import type { MarketplaceControl } from "../services";
import type { SecretBox } from "../secrets";
import type { ProviderConnection } from "../providers";
import type { SupervisorSnapshot } from "../supervisor";
import type { ApiKeyUsageRecorder, Store } from "../store";
import type { AgentSystemsControl } from "./agent-systems-routes";
import type { ServingOptionsInput } from "./options";

/** Who a run is for: the LM for it applies these scopes' budgets and limits. */
export interface RunScopes {
  readonly programId: string;
  readonly programName: string;
  readonly versionId: string;
  /** null for runs started by a signed-in user (the playground). */
  readonly apiKeyId: string | null;
}

export interface RunTracerInit extends RunScopes {
  readonly source: "api" | "playground";
  /** The inputs the program receives (after validation). */
  readonly input: unknown;
  /** The caller's labels of the run (tags, user and session ids). */
  readonly tags?: readonly string[];
  readonly userId?: string;
  readonly sessionId?: string;
}

/** Usage, money and time of a finished run, as recorded. */
export interface RunTotals {
  readonly usage: Usage;
  readonly costUsd: number;
  readonly latencyMs: number;
}

/** One run being recorded: the framework's tracer plus the run's ids and its end. */
export interface ServingRunTracer {
  readonly tracer: Tracer;
  readonly runId: string;
  readonly traceId: string;
  /**
   * Ends the run (status ok with the output, or error with the reason) and resolves once the run's
   * events are accepted for recording. Called exactly once per run.
   */
  finish(status: "ok" | "error", output?: unknown, error?: string): Promise<RunTotals>;
}

export type LimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** Requests per minute per API key. */
export interface ApiKeyLimiter {
  /**
   * Takes `cost` requests (default 1; a batch costs one per input) for the key, against its own
   * limit per minute or the server default when `limitPerMinute` is undefined. Never waits.
   */
  check(keyId: string, limitPerMinute?: number, cost?: number): Promise<LimitDecision>;
}

/** The job queue as optimizations use it (the runtime's JobQueue fits it as is). */
export interface OptimizationJobs {
  /** Queues an optimization's job; resolves with the job's id. */
  enqueue(kind: "optimization", payload: { readonly optimizationId: string }): Promise<{ readonly id: string }>;
  /** Cancels a queued job, or aborts a running one (which then stops at its next checkpoint). */
  cancel(jobId: string): Promise<unknown>;
}

/** The job queue as agent systems use it: the demo team's job (the runtime's JobQueue fits it as is). */
export interface AgentJobs {
  enqueue(kind: "demo-team", payload: { readonly tasks?: readonly string[]; readonly maxRounds: number }): Promise<{ readonly id: string }>;
  get(jobId: string): Promise<JobView>;
}

/** The job queue as experiments use it (the runtime's JobQueue fits it as is). */
export interface ExperimentJobs {
  enqueue(kind: "experiment", payload: { readonly experimentId: string; readonly concurrency: number }): Promise<{ readonly id: string }>;
}

export interface ServingDeps {
  /** Every read and write of the database. */
  readonly store: Store;
  /** The programs this server serves (names and signatures). */
  readonly registry: ProgramRegistry;
  /** Builds (and caches) the Module of a stored version. */
  readonly resolver: ProgramResolver;
  /** The LM for one run: the provider behind the runtime's middleware (rate limits, the budget guard for these scopes). */
  lmFor(scopes: RunScopes): LM;
  /** Starts recording one run (emits run:started). */
  createRunTracer(init: RunTracerInit): ServingRunTracer;
  readonly limiter: ApiKeyLimiter;
  readonly jobs: OptimizationJobs;
  /** Keeps API keys' lastUsedAt (coalesced); optional. */
  readonly apiKeyUsage?: ApiKeyUsageRecorder;
  readonly options?: ServingOptionsInput;
  /** Milliseconds, for the key and program caches; default Date.now. */
  readonly now?: () => number;
  /** The runtime's root supervisor, read by GET /api/v1/supervision and the overview metrics; optional. */
  readonly supervisor?: { snapshot(): SupervisorSnapshot };
  /** The declared agent systems (/api/v1/agent-systems); without them those routes answer NOT_FOUND. */
  readonly agentSystems?: AgentSystemsControl;
  /** The installed skills and actions and who may run them (/api/v1/marketplace); without it the list is empty. */
  readonly marketplace?: MarketplaceControl;
  /** The job queue for the demo team (POST /api/v1/agents/demo-team); without it those routes answer QUEUE_UNAVAILABLE. */
  readonly agentJobs?: AgentJobs;
  /** The job queue for experiments (POST /api/v1/experiments); without it that route answers QUEUE_UNAVAILABLE. */
  readonly experimentJobs?: ExperimentJobs;
  /** The runtime's price table, for cost estimates (POST /api/v1/optimizations/estimate); default: the maintained prices. */
  readonly prices?: PriceTable;
  /** Which provider serves a model reference (the runtime's router), so estimates price calls at that provider's price. */
  readonly servedBy?: ServedBy;
  /** Seals and opens secrets at rest (provider API keys); without it, provider keys cannot be stored. */
  readonly secrets?: SecretBox;
  /** Reloads the price overrides the server charges by (after one is added or deleted). */
  readonly onPricesChanged?: () => Promise<void>;
  /** The environment's provider (DSPEX_LM_BASE_URL), listed read-only in Settings. */
  readonly bootstrapProvider?: () => ProviderConnection | undefined;
  /** Makes the running server use the providers as stored now (after one is added, changed, tested or deleted). */
  readonly onProvidersChanged?: () => Promise<void>;
  /** Makes the LM stack re-read budgets now (it caches them briefly), after a budget is created, changed or deleted; optional. */
  readonly refreshBudgets?: () => void;
  /** Commits the events pushed so far (the batched writer), so a catch-up read sees what the browser was told; optional. */
  readonly flushEvents?: () => Promise<void>;
  /** Sessions that ended (a sign-out, a disabled account): their live sockets are dropped; optional. */
  readonly onSessionsEnded?: (who: { readonly sessionId: string } | { readonly userId: string }) => void;
  /** Says when the server is too busy (event-loop lag): requests other than health and readiness are then refused with 503 OVERLOADED; optional. */
  readonly overload?: { retryAfterMs(): number | undefined };
  /**
   * Configuration changes from every process: a revoked key or a promotion drops the cached entry
   * at once, so the caches' time limits become a long fallback (60 s) for a missed message.
   */
  readonly changes?: Pick<ChangeFeed, "subscribe">;
  /** Unexpected failures (answered with a typed 5xx body), for the log. */
  readonly onError?: (error: unknown, context: { readonly route: string }) => void;
}
