// Retention: how long runs, spans, LM calls and agent events are kept, and the batched delete
// that enforces it. The lead's scheduler calls `pruneOlderThan(db.sql, retentionCutoffs(policy))`.
// Deletes go in batches of `batchSize` rows (one short statement each, yielding between them) so
// that neither PGlite's single connection nor PostgreSQL's locks are held for long.
import { z } from "zod";
import type { SqlSession } from "../../db";
import { EventStreamError } from "./errors";

const days = z.number().positive().max(36_500);

export const RetentionPolicySchema = z.object({
  /** Runs (with their spans and LM calls, which cascade) older than this are deleted. */
  runsDays: days.default(30),
  /** Span details may go sooner than their runs (default: with them). */
  spansDays: days.optional(),
  /** LM calls, including those outside any run (default: with the runs). */
  lmCallsDays: days.optional(),
  agentEventsDays: days.default(7),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** The instant before which each kind of row goes; a missing entry is not pruned. */
export interface RetentionCutoffs {
  runs?: Date;
  spans?: Date;
  lmCalls?: Date;
  agentEvents?: Date;
}

export interface PruneOptions {
  /** Rows per delete statement (default 5,000). */
  batchSize?: number;
  /** Stops between batches. */
  signal?: AbortSignal;
}

export interface PruneReport {
  readonly spans: number;
  readonly lmCalls: number;
  readonly runs: number;
  readonly agentEvents: number;
  /** Delete statements run. */
  readonly statements: number;
}

const DAY_MS = 86_400_000;

/** Cutoff instants for a policy (parsed with its defaults), counted back from `now`. */
export function retentionCutoffs(policy: z.input<typeof RetentionPolicySchema> = {}, now: number = Date.now()): Required<RetentionCutoffs> {
  const parsed = RetentionPolicySchema.safeParse(policy);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EventStreamError("OPTION_INVALID", `retention: "${issue?.path.join(".")}" ${issue?.message}; give a number of days such as 30`);
  }
  const p = parsed.data;
  const before = (d: number) => new Date(now - d * DAY_MS);
  return {
    runs: before(p.runsDays),
    spans: before(p.spansDays ?? p.runsDays),
    lmCalls: before(p.lmCallsDays ?? p.runsDays),
    agentEvents: before(p.agentEventsDays),
  };
}

// Each statement deletes at most $2 rows older than $1; the sub-selects use the tables' indexes
// (Span through Run.startedAt and Span.runId, LMCall.createdAt, Run.startedAt).
const DELETE = {
  spans: `DELETE FROM "Span" WHERE "id" IN (SELECT s."id" FROM "Run" r JOIN "Span" s ON s."runId" = r."id" WHERE r."startedAt" < $1 LIMIT $2)`,
  lmCalls: `DELETE FROM "LMCall" WHERE "id" IN (SELECT "id" FROM "LMCall" WHERE "createdAt" < $1 LIMIT $2)`,
  runs: `DELETE FROM "Run" WHERE "id" IN (SELECT "id" FROM "Run" WHERE "startedAt" < $1 LIMIT $2)`,
  agentEvents: `DELETE FROM "AgentEvent" WHERE "id" IN (SELECT "id" FROM "AgentEvent" WHERE "createdAt" < $1 LIMIT $2)`,
} as const;

/**
 * Deletes rows older than the cutoffs, in batches, spans first, then LM calls, runs (their
 * remaining spans and LM calls cascade) and agent events. Returns how many rows of each went.
 */
export async function pruneOlderThan(sql: SqlSession, cutoffs: RetentionCutoffs, options: PruneOptions = {}): Promise<PruneReport> {
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EventStreamError("OPTION_INVALID", `pruneOlderThan: batchSize must be a whole number of at least 1, got ${batchSize}`);
  const report = { spans: 0, lmCalls: 0, runs: 0, agentEvents: 0, statements: 0 };
  for (const kind of ["spans", "lmCalls", "runs", "agentEvents"] as const) {
    const cutoff = cutoffs[kind];
    if (!cutoff) continue;
    // timestamp(3) columns hold UTC wall time; pass the cutoff the same way.
    const at = cutoff.toISOString().replace("T", " ").replace("Z", "");
    for (;;) {
      if (options.signal?.aborted) return report;
      const rows = await sql.query<{ n: number }>(`WITH d AS (${DELETE[kind]} RETURNING 1) SELECT count(*)::int AS n FROM d`, [at, batchSize]);
      report.statements++;
      const n = rows[0]?.n ?? 0;
      report[kind] += n;
      if (n < batchSize) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return report;
}
