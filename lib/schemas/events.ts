// The runtime's one typed event stream. Every event that is persisted or crosses to the browser
// is one of these; the same schemas validate on the server and in the browser.
import { z } from "zod";

const id = z.string().min(1);
const iso = z.iso.datetime();
const usd = z.number().nonnegative();

export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
});

export const RunSourceSchema = z.enum(["api", "playground", "optimization", "evaluation", "agent", "script"]);
export const RunStatusSchema = z.enum(["running", "ok", "error"]);

export const RunStartedSchema = z.object({
  runId: id,
  traceId: id,
  programId: id.nullable(),
  programName: z.string().nullable(),
  versionId: id.nullable(),
  apiKeyId: id.nullable(),
  optimizationId: id.nullable(),
  source: RunSourceSchema,
  input: z.unknown(),
  startedAt: iso,
  /** The caller's labels (predict API): tags, its end user's and conversation's ids. */
  tags: z.array(z.string()).optional(),
  userId: z.string().nullable().optional(),
  sessionId: z.string().nullable().optional(),
});

export const RunFinishedSchema = z.object({
  runId: id,
  traceId: id,
  programId: id.nullable(),
  programName: z.string().nullable(),
  status: z.enum(["ok", "error"]),
  output: z.unknown().optional(),
  error: z.string().nullable(),
  latencyMs: z.number().nonnegative(),
  usage: UsageSchema,
  costUsd: usd,
  endedAt: iso,
});

export const SpanSchema = z.object({
  spanId: id,
  runId: id,
  parentId: id.nullable(),
  name: z.string(),
  kind: z.string(),
  path: z.string().nullable(),
  status: RunStatusSchema,
  inputs: z.unknown().optional(),
  outputs: z.unknown().optional(),
  error: z.string().nullable(),
  startedAt: iso,
  endedAt: iso.nullable(),
});

export const LMCallEventSchema = z.object({
  id,
  runId: id.nullable(),
  spanId: id.nullable(),
  programId: id.nullable(),
  apiKeyId: id.nullable(),
  optimizationId: id.nullable(),
  provider: z.string(),
  model: z.string(),
  usage: UsageSchema,
  costUsd: usd,
  /** No price is known for the model: costUsd is 0, the real spend is not. */
  priceUnknown: z.boolean().optional(),
  /** Refused by a budget before reaching the provider: not a call that was made. */
  refused: z.boolean().optional(),
  latencyMs: z.number().nonnegative(),
  cacheHit: z.boolean(),
  retries: z.number().int().nonnegative(),
  adapter: z.string().nullable(),
  attempt: z.number().int().positive().nullable(),
  error: z.string().nullable(),
  /** The exact messages sent and the reply (not pushed to the browser: too large; read on the trace page). */
  request: z.unknown().optional(),
  response: z.unknown().optional(),
  at: iso,
});

export const TrialEventSchema = z.object({
  optimizationId: id,
  number: z.number().int().nonnegative(),
  state: z.enum(["running", "complete", "pruned", "failed"]),
  evaluation: z.enum(["minibatch", "full"]),
  set: z.enum(["val", "train"]),
  config: z.record(z.string(), z.unknown()),
  score: z.number().nullable(),
  values: z.array(z.number()).nullable(),
  costUsd: usd,
  lmCalls: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  examples: z.number().int().nonnegative(),
  meta: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  replayed: z.boolean(),
  at: iso,
});

export const OptimizationStatusSchema = z.object({
  optimizationId: id,
  status: z.enum(["queued", "running", "stopping", "stopped", "completed", "failed"]),
  trials: z.number().int().nonnegative(),
  bestScore: z.number().nullable(),
  baselineScore: z.number().nullable(),
  spentUsd: usd,
  lmCalls: z.number().int().nonnegative(),
  elapsedSeconds: z.number().nonnegative(),
  message: z.string().nullable(),
  at: iso,
});

export const SupervisorChildSchema = z.object({
  /** Path of the supervisor in the tree, e.g. "root/jobs". */
  supervisor: z.string(),
  child: z.string(),
  state: z.enum(["starting", "running", "restarting", "stopping", "stopped", "failed"]),
  restarts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  at: iso,
});

export const AgentStateSchema = z.object({
  agentId: id,
  systemId: id.nullable(),
  name: z.string(),
  role: z.string(),
  state: z.enum(["idle", "busy", "waiting", "restarting", "stopped"]),
  mailboxDepth: z.number().int().nonnegative(),
  processed: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  at: iso,
});

export const BreakerStateSchema = z.object({
  provider: z.string(),
  state: z.enum(["closed", "open", "half-open"]),
  failures: z.number().int().nonnegative(),
  at: iso,
});

export const BudgetStatusSchema = z.object({
  scope: z.enum(["global", "program", "optimization", "apiKey"]),
  scopeId: z.string(),
  period: z.enum(["day", "month", "total"]),
  limitUsd: usd,
  spentUsd: usd,
  exhausted: z.boolean(),
  at: iso,
});

/** Every event of the stream, by name. Names are `domain:verb`; they are also the socket.io event names. */
export const RuntimeEventSchemas = {
  "run:started": RunStartedSchema,
  "run:finished": RunFinishedSchema,
  "span:finished": SpanSchema,
  "lmcall:recorded": LMCallEventSchema,
  "trial:finished": TrialEventSchema,
  "optimization:status": OptimizationStatusSchema,
  "supervisor:child": SupervisorChildSchema,
  "agent:state": AgentStateSchema,
  "breaker:state": BreakerStateSchema,
  "budget:status": BudgetStatusSchema,
} as const;

export type RuntimeEventName = keyof typeof RuntimeEventSchemas;
export type RuntimeEventPayload<E extends RuntimeEventName> = z.infer<(typeof RuntimeEventSchemas)[E]>;
export type RuntimeEvent = { [E in RuntimeEventName]: { readonly name: E; readonly payload: RuntimeEventPayload<E> } }[RuntimeEventName];
export type Usage = z.infer<typeof UsageSchema>;
