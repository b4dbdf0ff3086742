// One flush of the writer is one SQL statement: every table's rows travel as one jsonb parameter
// each and are unpacked by jsonb_to_recordset inside data-modifying CTEs, so a batch of any size
// costs one round trip, needs no explicit transaction (a statement is atomic, which matters on
// PGlite's single shared connection) and stays under PostgreSQL's parameter limit. Runs are
// inserted in the same statement as their spans and LM calls: foreign keys are checked at the end
// of the statement. Inserts are idempotent (ON CONFLICT DO NOTHING), so a retried batch is safe.
import type { SqlSession } from "../../db";
import type { RuntimeEvent, RuntimeEventName, RuntimeEventPayload } from "../../schemas";
import { toJsonText } from "./json-safe";

/** The events the writer persists; the others are pushed to browsers only. */
export const PERSISTED_EVENTS: ReadonlySet<RuntimeEventName> = new Set<RuntimeEventName>(["run:started", "run:finished", "span:finished", "lmcall:recorded", "agent:state"]);

/** An event held by the writer, with the row id it gets when its table has no natural id (agent events). */
export interface BatchItem {
  readonly event: RuntimeEvent;
  readonly rowId: string;
}

interface RunRow {
  id: string;
  traceId?: string;
  programId?: string | null;
  programVersionId?: string | null;
  apiKeyId?: string | null;
  optimizationId?: string | null;
  source?: string;
  status: string;
  input?: unknown;
  output?: unknown;
  tags?: readonly string[];
  userId?: string | null;
  sessionId?: string | null;
  error?: string | null;
  startedAt?: string;
  endedAt?: string | null;
  latencyMs?: number | null;
  inputTokens: number;
  outputTokens: number;
  usage?: unknown;
  costUsd: number;
  instanceId?: string | null;
}

/** What one batch writes, table by table. */
export interface BatchPlan {
  readonly runInserts: readonly RunRow[];
  /** run:finished of runs started in an earlier batch. */
  readonly runUpdates: readonly RunRow[];
  readonly spans: readonly Record<string, unknown>[];
  readonly lmCalls: readonly Record<string, unknown>[];
  readonly agents: readonly Record<string, unknown>[];
  readonly agentEvents: readonly Record<string, unknown>[];
}

export interface BatchResult {
  readonly runsInserted: number;
  readonly runsUpdated: number;
  readonly spans: number;
  readonly lmCalls: number;
  readonly agents: number;
  readonly agentEvents: number;
  /** Runs a run:finished was meant to update but which do not exist. */
  readonly missingRuns: readonly string[];
}

/** Turns events into rows; run:started and run:finished of the same run become one inserted row. */
export function planBatch(items: readonly BatchItem[], instanceId: string | null = null): BatchPlan {
  const started = new Map<string, RunRow>();
  const finished = new Map<string, RuntimeEventPayload<"run:finished">>();
  const spans: Record<string, unknown>[] = [];
  const lmCalls: Record<string, unknown>[] = [];
  const agents = new Map<string, Record<string, unknown>>();
  const agentEvents: Record<string, unknown>[] = [];

  for (const { event, rowId } of items) {
    switch (event.name) {
      case "run:started": {
        const p = event.payload;
        if (started.has(p.runId)) break;
        started.set(p.runId, {
          id: p.runId,
          traceId: p.traceId,
          programId: p.programId,
          programVersionId: p.versionId,
          apiKeyId: p.apiKeyId,
          optimizationId: p.optimizationId,
          source: p.source,
          status: "running",
          input: p.input,
          startedAt: p.startedAt,
          tags: p.tags ?? [],
          userId: p.userId ?? null,
          sessionId: p.sessionId ?? null,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          instanceId,
        });
        break;
      }
      case "run:finished":
        finished.set(event.payload.runId, event.payload);
        break;
      case "span:finished": {
        const p = event.payload;
        spans.push({
          id: p.spanId,
          runId: p.runId,
          parentId: p.parentId,
          name: p.name,
          kind: p.kind,
          status: p.status,
          startedAt: p.startedAt,
          endedAt: p.endedAt,
          path: p.path,
          inputs: p.inputs,
          outputs: p.outputs,
          error: p.error,
        });
        break;
      }
      case "lmcall:recorded": {
        const p = event.payload;
        lmCalls.push({
          id: p.id,
          runId: p.runId,
          spanId: p.spanId,
          programId: p.programId,
          apiKeyId: p.apiKeyId,
          optimizationId: p.optimizationId,
          provider: p.provider,
          model: p.model,
          inputTokens: p.usage.inputTokens,
          cachedInputTokens: p.usage.cachedInputTokens,
          cacheWriteTokens: p.usage.cacheWriteTokens,
          outputTokens: p.usage.outputTokens,
          reasoningTokens: p.usage.reasoningTokens,
          costUsd: p.costUsd,
          priceUnknown: p.priceUnknown ?? false,
          refused: p.refused ?? false,
          latencyMs: Math.round(p.latencyMs),
          cacheHit: p.cacheHit,
          retries: p.retries,
          adapter: p.adapter,
          attempt: p.attempt,
          error: p.error,
          request: p.request,
          response: p.response,
          createdAt: p.at,
        });
        break;
      }
      case "agent:state": {
        const p = event.payload;
        // One row per agent per statement (ON CONFLICT DO UPDATE cannot touch a row twice): the latest wins.
        agents.delete(p.agentId);
        agents.set(p.agentId, {
          id: p.agentId,
          systemId: p.systemId,
          name: p.name,
          role: p.role,
          state: p.state,
          restarts: p.restarts,
          lastError: p.lastError,
          mailboxDepth: p.mailboxDepth,
          processed: p.processed,
          at: p.at,
        });
        agentEvents.push({ id: rowId, agentId: p.agentId, kind: "state", data: p, createdAt: p.at });
        break;
      }
      default:
        break;
    }
  }

  const runUpdates: RunRow[] = [];
  for (const f of finished.values()) {
    const row = started.get(f.runId);
    const done: RunRow = {
      id: f.runId,
      status: f.status,
      output: f.output,
      error: f.error,
      endedAt: f.endedAt,
      latencyMs: Math.round(f.latencyMs),
      inputTokens: f.usage.inputTokens,
      outputTokens: f.usage.outputTokens,
      usage: f.usage,
      costUsd: f.costUsd,
    };
    if (row) Object.assign(row, done);
    else runUpdates.push(done);
  }
  return { runInserts: [...started.values()], runUpdates, spans, lmCalls, agents: [...agents.values()], agentEvents };
}

const utc = (col: string) => `(${col}::timestamptz AT TIME ZONE 'UTC')`;
const json = (col: string) => `NULLIF(${col}, 'null'::jsonb)`;
const recordset = (param: number, columns: string) => `jsonb_to_recordset($${param}::jsonb) AS x(${columns})`;

const RUN_INSERT = (n: number) => `ins_runs AS (
  INSERT INTO "Run" ("id", "traceId", "programId", "programVersionId", "apiKeyId", "optimizationId", "source", "status", "input", "output", "error", "startedAt", "endedAt", "latencyMs", "inputTokens", "outputTokens", "usage", "costUsd", "instanceId", "tags", "userId", "sessionId")
  SELECT x."id", x."traceId", p."id", v."id", k."id", x."optimizationId", x."source"::"RunSource", x."status"::"RunStatus", ${json('x."input"')}, ${json('x."output"')}, x."error",
         ${utc('x."startedAt"')}, ${utc('x."endedAt"')}, x."latencyMs", x."inputTokens", x."outputTokens", ${json('x."usage"')}, x."costUsd", x."instanceId",
         COALESCE(ARRAY(SELECT jsonb_array_elements_text(x."tags")), ARRAY[]::text[]), x."userId", x."sessionId"
  FROM ${recordset(n, `"id" text, "traceId" text, "programId" text, "programVersionId" text, "apiKeyId" text, "optimizationId" text, "source" text, "status" text, "input" jsonb, "output" jsonb, "error" text, "startedAt" text, "endedAt" text, "latencyMs" int, "inputTokens" int, "outputTokens" int, "usage" jsonb, "costUsd" numeric, "instanceId" text, "tags" jsonb, "userId" text, "sessionId" text`)}
  LEFT JOIN "Program" p ON p."id" = x."programId"
  LEFT JOIN "ProgramVersion" v ON v."id" = x."programVersionId"
  LEFT JOIN "ApiKey" k ON k."id" = x."apiKeyId"
  ON CONFLICT ("id") DO NOTHING
  RETURNING 1)`;

const RUN_UPDATE = (n: number) => `upd_runs AS (
  UPDATE "Run" AS r SET "status" = x."status"::"RunStatus", "output" = ${json('x."output"')}, "error" = x."error", "endedAt" = ${utc('x."endedAt"')},
         "latencyMs" = x."latencyMs", "inputTokens" = x."inputTokens", "outputTokens" = x."outputTokens", "usage" = ${json('x."usage"')}, "costUsd" = x."costUsd"
  FROM ${recordset(n, `"id" text, "status" text, "output" jsonb, "error" text, "endedAt" text, "latencyMs" int, "inputTokens" int, "outputTokens" int, "usage" jsonb, "costUsd" numeric`)}
  WHERE r."id" = x."id"
  RETURNING r."id")`;

const SPAN_INSERT = (n: number) => `ins_spans AS (
  INSERT INTO "Span" ("id", "runId", "parentId", "name", "kind", "status", "startedAt", "endedAt", "path", "inputs", "outputs", "error")
  SELECT x."id", x."runId", x."parentId", x."name", x."kind", x."status"::"RunStatus", ${utc('x."startedAt"')}, ${utc('x."endedAt"')}, x."path", ${json('x."inputs"')}, ${json('x."outputs"')}, x."error"
  FROM ${recordset(n, `"id" text, "runId" text, "parentId" text, "name" text, "kind" text, "status" text, "startedAt" text, "endedAt" text, "path" text, "inputs" jsonb, "outputs" jsonb, "error" text`)}
  ON CONFLICT ("id") DO NOTHING
  RETURNING 1)`;

const LMCALL_INSERT = (n: number) => `ins_lmcalls AS (
  INSERT INTO "LMCall" ("id", "runId", "spanId", "programId", "apiKeyId", "optimizationId", "provider", "model", "inputTokens", "cachedInputTokens", "cacheWriteTokens", "outputTokens", "reasoningTokens", "costUsd", "priceUnknown", "refused", "latencyMs", "cacheHit", "retries", "adapter", "attempt", "error", "request", "response", "createdAt")
  SELECT x."id", x."runId", x."spanId", p."id", k."id", x."optimizationId", x."provider", x."model", x."inputTokens", x."cachedInputTokens", x."cacheWriteTokens", x."outputTokens", x."reasoningTokens", x."costUsd",
         COALESCE(x."priceUnknown", false), COALESCE(x."refused", false), x."latencyMs", x."cacheHit", x."retries", x."adapter", x."attempt", x."error", ${json('x."request"')}, ${json('x."response"')}, ${utc('x."createdAt"')}
  FROM ${recordset(n, `"id" text, "runId" text, "spanId" text, "programId" text, "apiKeyId" text, "optimizationId" text, "provider" text, "model" text, "inputTokens" int, "cachedInputTokens" int, "cacheWriteTokens" int, "outputTokens" int, "reasoningTokens" int, "costUsd" numeric, "priceUnknown" boolean, "refused" boolean, "latencyMs" int, "cacheHit" boolean, "retries" int, "adapter" text, "attempt" int, "error" text, "request" jsonb, "response" jsonb, "createdAt" text`)}
  LEFT JOIN "Program" p ON p."id" = x."programId"
  LEFT JOIN "ApiKey" k ON k."id" = x."apiKeyId"
  ON CONFLICT ("id") DO NOTHING
  RETURNING 1)`;

const AGENT_UPSERT = (n: number) => `up_agents AS (
  INSERT INTO "Agent" ("id", "systemId", "name", "role", "state", "restarts", "lastError", "mailboxDepth", "processed", "createdAt", "updatedAt")
  SELECT x."id", x."systemId", x."name", x."role", x."state", x."restarts", x."lastError", x."mailboxDepth", x."processed", ${utc('x."at"')}, ${utc('x."at"')}
  FROM ${recordset(n, `"id" text, "systemId" text, "name" text, "role" text, "state" text, "restarts" int, "lastError" text, "mailboxDepth" int, "processed" int, "at" text`)}
  ON CONFLICT ("id") DO UPDATE SET "systemId" = EXCLUDED."systemId", "name" = EXCLUDED."name", "role" = EXCLUDED."role", "state" = EXCLUDED."state",
         "restarts" = EXCLUDED."restarts", "lastError" = EXCLUDED."lastError", "mailboxDepth" = EXCLUDED."mailboxDepth", "processed" = EXCLUDED."processed", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "Agent"."updatedAt" <= EXCLUDED."updatedAt"
  RETURNING 1)`;

const AGENT_EVENT_INSERT = (n: number) => `ins_agent_events AS (
  INSERT INTO "AgentEvent" ("id", "agentId", "kind", "data", "createdAt")
  SELECT x."id", x."agentId", x."kind", ${json('x."data"')}, ${utc('x."createdAt"')}
  FROM ${recordset(n, `"id" text, "agentId" text, "kind" text, "data" jsonb, "createdAt" text`)}
  ON CONFLICT ("id") DO NOTHING
  RETURNING 1)`;

/** The statement and its parameters for a plan; undefined when the plan writes nothing. */
export function batchStatement(plan: BatchPlan): { text: string; params: string[] } | undefined {
  const ctes: string[] = [];
  const params: string[] = [];
  const add = (rows: readonly unknown[], cte: (n: number) => string) => {
    if (rows.length === 0) return false;
    params.push(toJsonText(rows));
    ctes.push(cte(params.length));
    return true;
  };
  const has = {
    runsInserted: add(plan.runInserts, RUN_INSERT),
    runsUpdated: add(plan.runUpdates, RUN_UPDATE),
    spans: add(plan.spans, SPAN_INSERT),
    lmCalls: add(plan.lmCalls, LMCALL_INSERT),
    agents: add(plan.agents, AGENT_UPSERT),
    agentEvents: add(plan.agentEvents, AGENT_EVENT_INSERT),
  };
  if (ctes.length === 0) return undefined;
  const count = (on: boolean, cte: string) => (on ? `(SELECT count(*) FROM ${cte})::int` : "0");
  const text = `WITH ${ctes.join(",\n")}
SELECT ${count(has.runsInserted, "ins_runs")} AS "runsInserted",
       ${has.runsUpdated ? `(SELECT coalesce(json_agg("id"), '[]'::json) FROM upd_runs)` : `'[]'::json`} AS "updatedRuns",
       ${count(has.spans, "ins_spans")} AS "spans",
       ${count(has.lmCalls, "ins_lmcalls")} AS "lmCalls",
       ${count(has.agents, "up_agents")} AS "agents",
       ${count(has.agentEvents, "ins_agent_events")} AS "agentEvents"`;
  return { text, params };
}

interface ResultRow {
  runsInserted: number;
  updatedRuns: string[] | string;
  spans: number;
  lmCalls: number;
  agents: number;
  agentEvents: number;
}

/** A batch ready to send: its plan and its one statement (undefined when it writes nothing). */
export interface PreparedBatch {
  readonly plan: BatchPlan;
  readonly statement: { text: string; params: string[] } | undefined;
}

/** Plans a batch and builds its statement. Throws when an event cannot become a row (a malformed payload). */
export function prepareBatch(items: readonly BatchItem[], instanceId: string | null = null): PreparedBatch {
  const plan = planBatch(items, instanceId);
  return { plan, statement: batchStatement(plan) };
}

/** Sends a prepared batch as one statement. Throws the driver's error (with its SQLSTATE `code`) when it fails. */
export async function writeBatch(sql: SqlSession, batch: PreparedBatch): Promise<BatchResult> {
  const { plan, statement } = batch;
  if (!statement) return { runsInserted: 0, runsUpdated: 0, spans: 0, lmCalls: 0, agents: 0, agentEvents: 0, missingRuns: [] };
  const [row] = await sql.query<ResultRow>(statement.text, statement.params);
  const updated = new Set<string>(typeof row?.updatedRuns === "string" ? (JSON.parse(row.updatedRuns) as string[]) : (row?.updatedRuns ?? []));
  return {
    runsInserted: row?.runsInserted ?? 0,
    runsUpdated: updated.size,
    spans: row?.spans ?? 0,
    lmCalls: row?.lmCalls ?? 0,
    agents: row?.agents ?? 0,
    agentEvents: row?.agentEvents ?? 0,
    missingRuns: plan.runUpdates.filter((r) => !updated.has(r.id)).map((r) => r.id),
  };
}

/** True for errors that come from the data itself (SQLSTATE classes 22 and 23): retrying the same rows cannot help. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}
