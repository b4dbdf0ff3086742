// Bodies of the serving API (/api/v1): requests, responses and the one error body. The router
// validates with these, the OpenAPI document is generated from them, and the dashboard reuses them.
import { z } from "zod";
import { RunSourceSchema, RunStatusSchema, UsageSchema } from "./events";
import { CreateOptimizationSchema, OptimizationListQuerySchema, OptimizationStatusNameSchema, TrialEvaluationSchema, TrialListQuerySchema, TrialStatusSchema } from "./optimizations";
import { IdSchema, pageSchema } from "./pagination";
import { ProgramNameSchema } from "./programs";
import { RunLabelsSchema } from "./run-labels";

const iso = z.iso.datetime();
const usd = z.number().nonnegative();

// ---------------------------------------------------------------- errors

/** Every error code the API answers with; each maps to one HTTP status (see API_ERROR_STATUS). */
export const API_ERROR_STATUS = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BUDGET_EXCEEDED: 402,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  VERSION_INVALID: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INPUT_INVALID: 422,
  RATE_LIMITED: 429,
  RUN_FAILED: 500,
  INTERNAL: 500,
  LM_ERROR: 502,
  OUTPUT_PARSE: 502,
  OUTPUT_INVALID: 502,
  PROVIDER_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
  RUN_NOT_RECORDED: 503,
  ABORTED: 503,
  NOT_READY: 503,
  OVERLOADED: 503,
  TIMEOUT: 504,
  LM_TIMEOUT: 504,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export const ApiErrorCodeSchema = z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]);

export const ApiErrorFieldSchema = z.object({
  /** Dotted path into the request, e.g. "input.question", "inputs.3.ticket", "budget.usd". */
  field: z.string(),
  message: z.string(),
});
export type ApiErrorField = z.infer<typeof ApiErrorFieldSchema>;

export const ApiErrorSchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
  /** One entry per field at fault (validation errors). */
  fields: z.array(ApiErrorFieldSchema).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The body of every error response. */
export const ApiErrorBodySchema = z.object({ error: ApiErrorSchema });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

// ---------------------------------------------------------------- predictions

/** A version of a program: its id, or its number (1, 2, ...). */
export const VersionSelectorSchema = z.union([IdSchema, z.number().int("must be a whole number").min(1, "must be 1 or more")]);

/** The program's inputs, by field name (checked against the program's signature). */
export const PredictInputSchema = z.record(z.string(), z.unknown());

export const PredictBodySchema = z.strictObject({
  input: PredictInputSchema,
  /** Pin a version (id or number); default: the program's active version. */
  version: VersionSelectorSchema.optional(),
  ...RunLabelsSchema.shape,
});
export type PredictBody = z.infer<typeof PredictBodySchema>;

export const VersionRefSchema = z.object({ id: z.string(), number: z.number().int().min(1) });

export const PredictResponseSchema = z.object({
  output: z.record(z.string(), z.unknown()),
  runId: z.string(),
  traceId: z.string(),
  version: VersionRefSchema,
  usage: UsageSchema,
  costUsd: usd,
  latencyMs: z.number().nonnegative(),
});
export type PredictResponse = z.infer<typeof PredictResponseSchema>;

export const PREDICT_BATCH_MAX = 100;

export const PredictBatchBodySchema = z.strictObject({
  inputs: z
    .array(PredictInputSchema)
    .min(1, "must hold at least one input")
    .max(PREDICT_BATCH_MAX, `must hold at most ${PREDICT_BATCH_MAX} inputs; split larger batches`),
  version: VersionSelectorSchema.optional(),
  /** Labels of every run of the batch. */
  ...RunLabelsSchema.shape,
});
export type PredictBatchBody = z.infer<typeof PredictBatchBodySchema>;

export const PredictBatchItemSchema = z.discriminatedUnion("ok", [
  PredictResponseSchema.omit({ version: true }).extend({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    error: ApiErrorSchema,
    /** Set when the item ran (and its failed run was recorded); null when it was refused before running. */
    runId: z.string().nullable(),
    traceId: z.string().nullable(),
  }),
]);
export type PredictBatchItem = z.infer<typeof PredictBatchItemSchema>;

export const PredictBatchResponseSchema = z.object({
  version: VersionRefSchema,
  /** One per input, in input order. */
  results: z.array(PredictBatchItemSchema),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Totals over every item. */
  usage: UsageSchema,
  costUsd: usd,
  /** Wall time of the whole batch. */
  latencyMs: z.number().nonnegative(),
});
export type PredictBatchResponse = z.infer<typeof PredictBatchResponseSchema>;

// ---------------------------------------------------------------- runs and traces

export const RunSummarySchema = z.object({
  id: z.string(),
  traceId: z.string(),
  program: z.object({ id: z.string(), name: z.string() }).nullable(),
  version: VersionRefSchema.nullable(),
  apiKey: z.object({ id: z.string(), name: z.string(), prefix: z.string() }).nullable(),
  optimizationId: z.string().nullable(),
  source: RunSourceSchema,
  status: RunStatusSchema,
  error: z.string().nullable(),
  startedAt: iso,
  endedAt: iso.nullable(),
  latencyMs: z.number().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: usd,
  /** One of its LM calls went to a model with no known price: the cost is unknown, not costUsd. */
  priceUnknown: z.boolean().default(false),
});

export const RunPageSchema = pageSchema(RunSummarySchema);

export const LMCallViewSchema = z.object({
  id: z.string(),
  spanId: z.string().nullable(),
  provider: z.string(),
  model: z.string(),
  usage: UsageSchema,
  costUsd: usd,
  /** The model had no known price: the cost is unknown, not 0. */
  priceUnknown: z.boolean().default(false),
  /** A budget refused the call before it reached a provider. */
  refused: z.boolean().default(false),
  latencyMs: z.number(),
  cacheHit: z.boolean(),
  retries: z.number().int(),
  adapter: z.string().nullable(),
  attempt: z.number().int().nullable(),
  error: z.string().nullable(),
  /** The exact request messages and the raw reply. */
  request: z.unknown(),
  response: z.unknown(),
  createdAt: iso,
});

export interface SpanNodeShape {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
  path: string | null;
  status: z.infer<typeof RunStatusSchema>;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  attributes?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  error: string | null;
  lmCalls: z.infer<typeof LMCallViewSchema>[];
  children: SpanNodeShape[];
}

export const SpanNodeSchema: z.ZodType<SpanNodeShape> = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  path: z.string().nullable(),
  status: RunStatusSchema,
  startedAt: iso,
  endedAt: iso.nullable(),
  durationMs: z.number().nullable(),
  attributes: z.unknown(),
  inputs: z.unknown(),
  outputs: z.unknown(),
  error: z.string().nullable(),
  lmCalls: z.array(LMCallViewSchema),
  get children() {
    return z.array(SpanNodeSchema);
  },
});

export const TraceSchema = z.object({
  run: RunSummarySchema.extend({ input: z.unknown(), output: z.unknown(), usage: z.unknown() }),
  /** Root spans; children in start order. */
  spans: z.array(SpanNodeSchema),
  /** Every LM call of the run in time order. */
  lmCalls: z.array(LMCallViewSchema),
});

export const RunIdParamsSchema = z.object({ id: IdSchema });

// ---------------------------------------------------------------- optimizations

/** The optimizers a launch may name (the framework's OPTIMIZER_NAMES; a test keeps them equal). */
export const OPTIMIZER_NAME_VALUES = [
  "auto",
  "labeled-few-shot",
  "bootstrap-few-shot",
  "bootstrap-random-search",
  "mipro-v2",
  "simba",
  "gepa",
  "reflect-race",
  "tpe",
  "genetic",
  "random",
] as const;
export const OptimizerNameSchema = z.enum(OPTIMIZER_NAME_VALUES, { message: `must be one of ${OPTIMIZER_NAME_VALUES.join(", ")}` });

/** A launch through the API: the store's launch input with a known optimizer; the API key is recorded as its creator. */
export const CreateOptimizationBodySchema = CreateOptimizationSchema.omit({ createdBy: true, optimizer: true, estimate: true })
  .extend({ optimizer: OptimizerNameSchema })
  .strict();
export type CreateOptimizationBody = z.input<typeof CreateOptimizationBodySchema>;

export const OptimizationSchema = z.object({
  id: z.string(),
  program: z.object({ id: z.string(), name: z.string() }),
  baseVersionId: z.string().nullable(),
  resultVersionId: z.string().nullable(),
  datasetVersionId: z.string().nullable(),
  optimizer: z.string(),
  status: OptimizationStatusNameSchema,
  options: z.unknown(),
  seed: z.number().int(),
  budget: z.object({ usd: usd.nullable(), lmCalls: z.number().int().nullable(), seconds: z.number().int().nullable() }),
  spent: z.object({ usd, lmCalls: z.number().int(), seconds: z.number() }),
  trialCount: z.number().int(),
  bestScore: z.number().nullable(),
  baselineScore: z.number().nullable(),
  estimate: z.unknown(),
  report: z.unknown(),
  jobId: z.string().nullable(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: iso,
  startedAt: iso.nullable(),
  endedAt: iso.nullable(),
  hasCheckpoint: z.boolean(),
});

export const TrialSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  status: TrialStatusSchema,
  evaluation: TrialEvaluationSchema,
  set: z.string(),
  config: z.unknown(),
  score: z.number().nullable(),
  values: z.unknown(),
  scores: z.unknown(),
  examples: z.number().int(),
  costUsd: usd,
  lmCalls: z.number().int(),
  latencyMs: z.number().nullable(),
  meta: z.unknown(),
  error: z.string().nullable(),
  createdAt: iso,
  finishedAt: iso.nullable(),
});

/** An optimization with its best trial so far (full evaluations preferred over minibatches). */
export const OptimizationStatusResponseSchema = OptimizationSchema.extend({ best: TrialSchema.nullable() });

export const OptimizationIdParamsSchema = z.object({ id: IdSchema });

/** A trial with when it started and its score per example (the example: an index into the set it scored). */
export const TrialDetailSchema = TrialSchema.extend({
  startedAt: iso.nullable(),
  perExample: z.array(z.object({ example: z.number().int(), score: z.number().nullable(), feedback: z.string().nullable() })),
});

export const TrialParamsSchema = z.object({ id: IdSchema, number: z.coerce.number().int().min(0) });

export const TrialPageQuerySchema = TrialListQuerySchema.omit({ optimizationId: true });
export const TrialPageSchema = pageSchema(TrialSchema);

export const ProgramNameParamsSchema = z.object({ name: ProgramNameSchema });

/** The generated OpenAPI document (its own shape is the OpenAPI 3.1 specification's). */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});

// ---------------------------------------------------------------- overview metrics and supervision

/** One minute of the last hour: runs started, failed, and their latency percentiles. */
export const OverviewMinuteSchema = z.object({
  t: iso,
  runs: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});
export type OverviewMinute = z.infer<typeof OverviewMinuteSchema>;

export const OverviewBudgetSchema = z.object({
  id: z.string(),
  scope: z.enum(["global", "program", "optimization", "apiKey"]),
  scopeId: z.string(),
  /** What the scope names: "All spending", a program's name, an API key's name. */
  label: z.string(),
  period: z.enum(["day", "month", "total"]),
  limitUsd: usd,
  spentUsd: usd,
  exhausted: z.boolean(),
});

export const OverviewOptimizationSchema = z.object({
  id: z.string(),
  programName: z.string(),
  optimizer: z.string(),
  status: OptimizationStatusNameSchema,
  trials: z.number().int().nonnegative(),
  bestScore: z.number().nullable(),
  spentUsd: usd,
  lmCalls: z.number().int().nonnegative(),
  budget: z.object({ usd: usd.nullable(), lmCalls: z.number().int().nullable(), seconds: z.number().int().nullable() }),
  /** 0..1: the largest share of a budget used (money, LM calls or time); null without a budget. */
  progress: z.number().min(0).max(1).nullable(),
  startedAt: iso.nullable(),
});
export type OverviewOptimization = z.infer<typeof OverviewOptimizationSchema>;

/** GET /api/v1/metrics/overview: the last hour of runs, today's spend and what is running now. */
export const OverviewMetricsSchema = z.object({
  now: iso,
  /** Start of the hour window and of today (UTC). */
  from: iso,
  dayStart: iso,
  runs: z.object({
    total: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    running: z.number().int().nonnegative(),
    /** Failed share of the finished runs; null when none finished. */
    errorRate: z.number().min(0).max(1).nullable(),
    /** Runs started per minute over the last 5 minutes. */
    perMinute: z.number().nonnegative(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
  }),
  /** 60 minutes, oldest first, empty minutes included. */
  series: z.array(OverviewMinuteSchema),
  spend: z.object({
    /** Priced calls only: calls to a model with no known price are counted in todayUnpricedCalls, never as $0. */
    todayUsd: usd,
    /** Calls sent today (calls a budget refused were never sent and are not counted). */
    todayCalls: z.number().int().nonnegative(),
    todayUnpricedCalls: z.number().int().nonnegative(),
    budgets: z.array(OverviewBudgetSchema),
  }),
  optimizations: z.array(OverviewOptimizationSchema),
  supervision: z.object({
    available: z.boolean(),
    supervisors: z.number().int().nonnegative(),
    children: z.number().int().nonnegative(),
    running: z.number().int().nonnegative(),
    restarts: z.number().int().nonnegative(),
  }),
  agents: z.object({ total: z.number().int().nonnegative(), active: z.number().int().nonnegative() }),
});
export type OverviewMetrics = z.infer<typeof OverviewMetricsSchema>;

export const SupervisionChildStateSchema = z.enum(["starting", "running", "restarting", "stopping", "stopped", "failed"]);

/** A supervisor of the tree (the root is "root"; nested ones "root/jobs"). */
export const SupervisorNodeSchema = z.object({
  path: z.string(),
  /** The supervising parent's path; null for the root. */
  parent: z.string().nullable(),
  strategy: z.enum(["one_for_one", "one_for_all", "rest_for_one"]),
  intensity: z.number().int().nonnegative(),
  periodMs: z.number().nonnegative(),
  state: z.enum(["starting", "running", "stopping", "stopped", "failed"]),
  restartsInPeriod: z.number().int().nonnegative(),
});
export type SupervisorNode = z.infer<typeof SupervisorNodeSchema>;

/** A child of a supervisor; `supervisor` + "/" + `id` is its path. */
export const SupervisedChildSchema = z.object({
  supervisor: z.string(),
  id: z.string(),
  type: z.enum(["worker", "supervisor"]),
  restart: z.enum(["permanent", "transient", "temporary"]),
  state: SupervisionChildStateSchema,
  restarts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  startedAt: iso.nullable(),
});
export type SupervisedChild = z.infer<typeof SupervisedChildSchema>;

export const AgentRowSchema = z.object({
  id: z.string(),
  systemId: z.string().nullable(),
  name: z.string(),
  role: z.string(),
  state: z.string(),
  restarts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  mailboxDepth: z.number().int().nonnegative(),
  processed: z.number().int().nonnegative(),
  updatedAt: iso,
});
export type AgentRow = z.infer<typeof AgentRowSchema>;

/** GET /api/v1/supervision: the runtime's supervision tree (flattened, parents first) and the agents. */
export const SupervisionSchema = z.object({
  /** False when this server has no supervisor to read (the tree is then empty). */
  available: z.boolean(),
  supervisors: z.array(SupervisorNodeSchema),
  children: z.array(SupervisedChildSchema),
  agents: z.array(AgentRowSchema),
  /** Agents in the table (the list holds the first 200, by system then name). */
  agentTotal: z.number().int().nonnegative(),
});
export type Supervision = z.infer<typeof SupervisionSchema>;

// ---------------------------------------------------------------- optimizations: the dashboard's launch form, list, estimate, apply

export const OptimizationPageQuerySchema = OptimizationListQuerySchema;
export const OptimizationPageSchema = pageSchema(OptimizationSchema);

/** A variable of a program as the launch form offers it ("which variables to search"). */
export const LaunchVariableSchema = z.object({
  name: z.string(),
  kind: z.string(),
  description: z.string().nullable(),
  /** Fixed variables keep their value whatever is searched. */
  fixed: z.boolean(),
});

export const LaunchDatasetVersionSchema = z.object({
  id: z.string(),
  datasetName: z.string(),
  number: z.number().int(),
  exampleCount: z.number().int(),
  createdAt: iso,
});

/** What the launch form chooses from: the served programs with their variables, and the dataset versions. */
export const OptimizationSetupSchema = z.object({
  programs: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      /** Optimizations score with the program's own metric (set in its code); none means it cannot be optimized. */
      hasMetric: z.boolean(),
      variables: z.array(LaunchVariableSchema),
      /** The latest version of the dataset named like the program, if any. */
      defaultDatasetVersionId: z.string().nullable(),
    }),
  ),
  datasetVersions: z.array(LaunchDatasetVersionSchema),
  optimizers: z.array(OptimizerNameSchema),
});

/** The cost estimate of a launch, planned without running anything. */
export const OptimizationEstimateSchema = z.object({
  /** The optimizer that would run ("auto" resolves to one). */
  optimizer: z.string(),
  reason: z.string(),
  trials: z.number().nonnegative(),
  lmCalls: z.number().nonnegative(),
  /** Null when a model the run may call has no known price ("price unknown", never $0). */
  usd: usd.nullable(),
  notes: z.array(z.string()),
  train: z.number().int(),
  val: z.number().int(),
  heldOut: z.boolean(),
  /** The variables that would be searched. */
  variables: z.array(z.string()),
  /** Budgets the estimate goes beyond (the run then stops early, at the budget). */
  warnings: z.array(z.string()),
});

/** "Apply best as new version": the optimization's result version, now the program's active version. */
export const ApplyOptimizationResponseSchema = z.object({
  optimizationId: z.string(),
  programName: z.string(),
  versionId: z.string(),
  versionNumber: z.number().int(),
  previousVersionId: z.string().nullable(),
});

// ---------------------------------------------------------------- agents: agent systems and the demo team

/** The demo team's bundled tasks, as the dashboard lists them (ids checked by the server). */
export const DEMO_TEAM_TASK_IDS = ["fizzbuzz", "reverse-words", "is-palindrome", "sum-of-digits", "run-length-encoding", "word-count", "flatten-array", "clamp"] as const;

/** POST /api/v1/agents/demo-team: which bundled tasks (default all eight) and rounds per task. */
export const RunDemoTeamBodySchema = z.strictObject({
  tasks: z
    .array(z.enum(DEMO_TEAM_TASK_IDS, { message: `must be one of ${DEMO_TEAM_TASK_IDS.join(", ")}` }))
    .min(1, "must name at least one task (or leave tasks out for all eight)")
    .max(DEMO_TEAM_TASK_IDS.length, `must name at most ${DEMO_TEAM_TASK_IDS.length} tasks`)
    .refine((ids) => new Set(ids).size === ids.length, "must not name a task twice")
    .optional(),
  maxRounds: z.number().int("must be a whole number").min(1, "must be at least 1").max(10, "must be at most 10").default(4),
});
export type RunDemoTeamBody = z.input<typeof RunDemoTeamBodySchema>;

export const DemoTeamLaunchSchema = z.object({
  jobId: z.string(),
  /** The agents' systemId: "demo-team:<jobId>". */
  systemId: z.string(),
});
export type DemoTeamLaunch = z.infer<typeof DemoTeamLaunchSchema>;

/** The job's progress: the latest round (reported after every round). */
export const DemoTeamProgressSchema = z.object({
  taskId: z.string(),
  round: z.number().int(),
  approved: z.boolean(),
  tasksDone: z.number().int().nonnegative(),
  tasksTotal: z.number().int().nonnegative(),
});
export type DemoTeamProgress = z.infer<typeof DemoTeamProgressSchema>;

export const DemoTeamTaskResultSchema = z.object({
  taskId: z.string(),
  approved: z.boolean(),
  rounds: z.number().int().nonnegative(),
  hiddenPassed: z.number().int().nonnegative(),
  hiddenTotal: z.number().int().nonnegative(),
  finalCode: z.string(),
});
export type DemoTeamTaskResult = z.infer<typeof DemoTeamTaskResultSchema>;

export const DemoTeamResultSchema = z.object({
  approved: z.number().int().nonnegative(),
  passing: z.number().int().nonnegative(),
  totalRounds: z.number().int().nonnegative(),
  tasks: z.array(DemoTeamTaskResultSchema),
});

/** GET /api/v1/agents/demo-team/{jobId}: the job's status, latest progress and (once done) its summary. */
export const DemoTeamJobSchema = z.object({
  jobId: z.string(),
  systemId: z.string(),
  status: z.enum(["queued", "running", "completed", "failed", "cancelled"]),
  maxRounds: z.number().int(),
  /** The tasks of this run, in the order they are worked on. */
  tasks: z.array(z.object({ id: z.string(), title: z.string() })),
  progress: DemoTeamProgressSchema.nullable(),
  result: DemoTeamResultSchema.nullable(),
  error: z.string().nullable(),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
});
export type DemoTeamJob = z.infer<typeof DemoTeamJobSchema>;

export const DemoTeamJobParamsSchema = z.object({ jobId: IdSchema });

/** One agent system of the Agent table (agents grouped by systemId). */
export const AgentSystemSummarySchema = z.object({
  systemId: z.string(),
  agents: z.number().int().nonnegative(),
  /** Agents per state (idle, busy, waiting, restarting, stopped). */
  states: z.record(z.string(), z.number().int().nonnegative()),
  processed: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  mailboxDepth: z.number().int().nonnegative(),
  lastUpdate: iso,
  /** The demo-team job behind the system, when it is one. */
  job: z.object({ id: z.string(), status: z.string() }).nullable(),
});
export type AgentSystemSummary = z.infer<typeof AgentSystemSummarySchema>;
export const AgentSystemPageSchema = pageSchema(AgentSystemSummarySchema);
export type AgentSystemPage = z.infer<typeof AgentSystemPageSchema>;

export const AgentSystemParamsSchema = z.object({ systemId: IdSchema });

export const AgentEventRowSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  kind: z.string(),
  data: z.unknown(),
  createdAt: iso,
});
export type AgentEventRow = z.infer<typeof AgentEventRowSchema>;

/** GET /api/v1/agents/systems/{systemId}: its agents and a page of their events (newest first). */
export const AgentSystemDetailSchema = z.object({
  systemId: z.string(),
  agents: z.array(AgentRowSchema),
  events: pageSchema(AgentEventRowSchema),
  /** The demo-team job behind the system, when it is one. */
  jobId: z.string().nullable(),
});
export type AgentSystemDetail = z.infer<typeof AgentSystemDetailSchema>;
