// Spend from the LM-call ledger, grouped by provider, model, program, API key or day (UTC), summed
// in SQL over the time-indexed LMCall table so reports stay fast as calls pile up. Calls a budget
// refused never reached a provider: they are counted apart, never as calls. Calls to a model with
// no known price are counted too, so a page never shows their $0 as a real cost.
import { Prisma, type PrismaClient } from "../../db";
import { CostQuerySchema, type CostGroup, type CostQuery } from "../../schemas/runs";
import { parseInput } from "./parse-input";

export interface CostTotals {
  readonly costUsd: number;
  readonly calls: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  /** Calls to a model with no known price (their cost is unknown, not 0). */
  readonly unpricedCalls: number;
  /** Calls refused by a budget before reaching a provider (not in `calls` or any sum; 0 on group rows). */
  readonly refusedCalls: number;
}

export interface CostRow extends CostTotals {
  /** For the provider and model groups: the provider (its name in Settings). */
  readonly provider?: string | null;
  /** The model name, program id, API key id or day (YYYY-MM-DD); null for calls without one. */
  readonly key: string | null;
  /** What to show: the model, program name, key name (prefix), day, or "(none)". */
  readonly label: string;
}

export interface CostReport {
  readonly groupBy: CostGroup;
  readonly from: string | null;
  readonly to: string | null;
  readonly total: CostTotals;
  /** The groups: the largest by cost first, or the latest days in order. */
  readonly rows: readonly CostRow[];
}

interface SqlRow {
  key: string | null;
  provider?: string | null;
  unpriced?: number | null;
  refused?: number | null;
  label: string | null;
  cost: number | null;
  calls: number;
  input: number | null;
  cached: number | null;
  cache_write: number | null;
  output: number | null;
  reasoning: number | null;
}

const SUMS = Prisma.sql`
  COALESCE(SUM(c."costUsd"), 0)::float8 AS cost,
  COUNT(*)::int AS calls,
  COALESCE(SUM(c."inputTokens"), 0)::float8 AS input,
  COALESCE(SUM(c."cachedInputTokens"), 0)::float8 AS cached,
  COALESCE(SUM(c."cacheWriteTokens"), 0)::float8 AS cache_write,
  COALESCE(SUM(c."outputTokens"), 0)::float8 AS output,
  COALESCE(SUM(c."reasoningTokens"), 0)::float8 AS reasoning,
  COUNT(*) FILTER (WHERE c."priceUnknown")::int AS unpriced`;

function totals(r: SqlRow): CostTotals {
  return {
    costUsd: Math.round((r.cost ?? 0) * 1e9) / 1e9,
    calls: Number(r.calls),
    inputTokens: Number(r.input ?? 0),
    cachedInputTokens: Number(r.cached ?? 0),
    cacheWriteTokens: Number(r.cache_write ?? 0),
    outputTokens: Number(r.output ?? 0),
    reasoningTokens: Number(r.reasoning ?? 0),
    unpricedCalls: Number(r.unpriced ?? 0),
    refusedCalls: Number(r.refused ?? 0),
  };
}

/** Spend in a time range, grouped one way. An unknown program name gives an empty report. Errors: INVALID. */
export async function costReport(prisma: PrismaClient, query: CostQuery): Promise<CostReport> {
  const q = parseInput(CostQuerySchema, query, "cost report");
  const conditions: Prisma.Sql[] = [];
  if (q.from) conditions.push(Prisma.sql`c."createdAt" >= ${q.from}`);
  if (q.to) conditions.push(Prisma.sql`c."createdAt" < ${q.to}`);
  if (q.apiKeyId) conditions.push(Prisma.sql`c."apiKeyId" = ${q.apiKeyId}`);
  if (q.model) conditions.push(Prisma.sql`c."model" = ${q.model}`);
  if (q.programName) conditions.push(Prisma.sql`c."programId" = (SELECT p."id" FROM "Program" p WHERE p."name" = ${q.programName})`);
  const refusedWhere = Prisma.sql`WHERE ${Prisma.join([...conditions, Prisma.sql`c."refused"`], " AND ")}`;
  const where = Prisma.sql`WHERE ${Prisma.join([...conditions, Prisma.sql`NOT c."refused"`], " AND ")}`;

  const [grouped, total, refused] = await prisma.$transaction([
    prisma.$queryRaw<SqlRow[]>(groupedQuery(q.groupBy, where, q.limit)),
    prisma.$queryRaw<SqlRow[]>(Prisma.sql`SELECT NULL AS key, NULL AS label, ${SUMS} FROM "LMCall" c ${where}`),
    prisma.$queryRaw<{ n: number }[]>(Prisma.sql`SELECT COUNT(*)::int AS n FROM "LMCall" c ${refusedWhere}`),
  ]);
  return {
    groupBy: q.groupBy,
    from: q.from?.toISOString() ?? null,
    to: q.to?.toISOString() ?? null,
    total: totals({ ...total[0]!, refused: refused[0]?.n ?? 0 }),
    rows: grouped.map((r) => ({ key: r.key, label: r.label ?? "(none)", ...(r.provider !== undefined && { provider: r.provider }), ...totals(r) })),
  };
}

function groupedQuery(groupBy: CostGroup, where: Prisma.Sql, limit: number): Prisma.Sql {
  switch (groupBy) {
    case "model":
      // One row per model and the provider that served it (a model may be served by two).
      return Prisma.sql`SELECT c."model" AS key, c."model" AS label, c."provider" AS provider, ${SUMS} FROM "LMCall" c ${where}
        GROUP BY c."model", c."provider" ORDER BY cost DESC, key ASC, provider ASC LIMIT ${limit}`;
    case "provider":
      return Prisma.sql`SELECT c."provider" AS key, c."provider" AS label, c."provider" AS provider, ${SUMS} FROM "LMCall" c ${where}
        GROUP BY c."provider" ORDER BY cost DESC, key ASC LIMIT ${limit}`;
    case "program":
      return Prisma.sql`SELECT g.key, p."name" AS label, g.cost, g.calls, g.input, g.cached, g.cache_write, g.output, g.reasoning
        FROM (SELECT c."programId" AS key, ${SUMS} FROM "LMCall" c ${where} GROUP BY c."programId" ORDER BY cost DESC, key ASC NULLS LAST LIMIT ${limit}) g
        LEFT JOIN "Program" p ON p."id" = g.key ORDER BY g.cost DESC, g.key ASC NULLS LAST`;
    case "apiKey":
      return Prisma.sql`SELECT g.key, k."name" || ' (' || k."prefix" || ')' AS label, g.cost, g.calls, g.input, g.cached, g.cache_write, g.output, g.reasoning
        FROM (SELECT c."apiKeyId" AS key, ${SUMS} FROM "LMCall" c ${where} GROUP BY c."apiKeyId" ORDER BY cost DESC, key ASC NULLS LAST LIMIT ${limit}) g
        LEFT JOIN "ApiKey" k ON k."id" = g.key ORDER BY g.cost DESC, g.key ASC NULLS LAST`;
    case "day":
      // The latest `limit` days, in order.
      return Prisma.sql`SELECT * FROM (SELECT to_char(date_trunc('day', c."createdAt"), 'YYYY-MM-DD') AS key, to_char(date_trunc('day', c."createdAt"), 'YYYY-MM-DD') AS label, ${SUMS}
        FROM "LMCall" c ${where} GROUP BY date_trunc('day', c."createdAt") ORDER BY key DESC LIMIT ${limit}) d ORDER BY d.key ASC`;
  }
}
