// Run search: the words of `q` against a full-text index over each run's input, output and error
// (string and number values only, so field names do not match every run), with the run filters,
// tags (GIN) and the caller's user and session ids; newest first, paged.
import { Prisma, type PrismaClient } from "../../db";
import type { Page } from "../../schemas/pagination";
import { RunSearchQuerySchema, type RunSearchItem, type RunSearchQuery } from "../../schemas/trace-search";
import { parseInput } from "./parse-input";
import { runSummarySelect, toRunSummary } from "./runs";

/**
 * The indexed expression: the same text as the GIN index "Run_search_idx" of the migration
 * (an expression index is used only by a query that repeats its expression exactly).
 */
export const RUN_SEARCH_VECTOR = Prisma.raw(
  `(jsonb_to_tsvector('simple'::regconfig, COALESCE(r."input", '{}'::jsonb), '["string", "numeric"]'::jsonb) || ` +
    `jsonb_to_tsvector('simple'::regconfig, COALESCE(r."output", '{}'::jsonb), '["string", "numeric"]'::jsonb) || ` +
    `to_tsvector('simple'::regconfig, COALESCE(r."error", '')))`,
);

const PREVIEW_CHARS = 300;

/** "refund  Order-42" -> "refund:* & order:* & 42:*": every word must appear, each as a prefix. */
export function toPrefixQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return [...new Set(words)]
    .slice(0, 20)
    .map((w) => `${w}:*`)
    .join(" & ");
}

function preview(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

type Parsed = ReturnType<typeof RunSearchQuerySchema.parse>;

function conditions(q: Parsed): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (q.programName) where.push(Prisma.sql`r."programId" = (SELECT p."id" FROM "Program" p WHERE p."name" = ${q.programName})`);
  if (q.status) where.push(Prisma.sql`r."status" = ${q.status}::"RunStatus"`);
  if (q.source) where.push(Prisma.sql`r."source" = ${q.source}::"RunSource"`);
  if (q.userId) where.push(Prisma.sql`r."userId" = ${q.userId}`);
  if (q.sessionId) where.push(Prisma.sql`r."sessionId" = ${q.sessionId}`);
  if (q.tags && q.tags.length > 0) where.push(Prisma.sql`r."tags" @> ARRAY[${Prisma.join(q.tags)}]::text[]`);
  if (q.from) where.push(Prisma.sql`r."startedAt" >= ${q.from}`);
  if (q.to) where.push(Prisma.sql`r."startedAt" < ${q.to}`);
  const words = q.q ? toPrefixQuery(q.q) : undefined;
  if (words) where.push(Prisma.sql`${RUN_SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, ${words})`);
  return where;
}

/** Runs matching the search, newest first. Errors: INVALID (query). */
export async function searchRuns(prisma: PrismaClient, query: RunSearchQuery = {}): Promise<Page<RunSearchItem>> {
  const q = parseInput(RunSearchQuerySchema, query, "run search");
  const where = conditions(q);
  const clause = where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  const window = Prisma.sql`ORDER BY "startedAt" DESC, "id" DESC LIMIT ${q.limit} OFFSET ${(q.page - 1) * q.limit}`;
  // With words, the matches come from the GIN index first and are sorted after: left to itself the
  // planner may walk the start-time index newest first and test every run, which for a word that
  // matches nothing reads the whole table.
  const page = q.q && toPrefixQuery(q.q)
    ? Prisma.sql`WITH m AS MATERIALIZED (SELECT r."id", r."startedAt" FROM "Run" r ${clause}) SELECT "id" FROM m ${window}`
    : Prisma.sql`SELECT r."id" FROM "Run" r ${clause} ${window}`;
  const [ids, counted] = await prisma.$transaction([
    prisma.$queryRaw<{ id: string }[]>(page),
    prisma.$queryRaw<{ n: number }[]>(Prisma.sql`SELECT COUNT(*)::int AS n FROM "Run" r ${clause}`),
  ]);
  const rows = ids.length
    ? await prisma.run.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        select: { ...runSummarySelect, tags: true, userId: true, sessionId: true, input: true, output: true },
      })
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids.flatMap(({ id }) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{ ...toRunSummary(row), tags: row.tags, userId: row.userId, sessionId: row.sessionId, inputPreview: preview(row.input), outputPreview: preview(row.output) }];
  });
  return { items, total: counted[0]?.n ?? 0, page: q.page, limit: q.limit };
}
