// The Overview page's numbers, summed in SQL over time-indexed columns (Run.startedAt,
// LMCall.createdAt) so the answer stays fast as runs pile up.
import { Prisma, type PrismaClient } from "../../db";
import type { OverviewMetrics, OverviewMinute, OverviewOptimization } from "../../schemas";
import { budgetTargetNames, listBudgets, windowStartOf } from "./budgets";

const MINUTE = 60_000;
const WINDOW_MINUTES = 60;
const RATE_MINUTES = 5;
const ACTIVE_OPTIMIZATIONS = ["queued", "running", "stopping"] as const;

interface MinuteRow {
  m: Date;
  runs: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}
interface TotalsRow {
  runs: number;
  errors: number;
  running: number;
  finished: number;
  p50: number | null;
  p95: number | null;
}
interface SpendRow {
  cost: number | null;
  calls: number;
  unpriced: number;
}

const round = (n: number | null) => (n === null ? null : Math.round(Number(n)));
const usd = (n: number) => Math.round(n * 1e9) / 1e9;

async function runStats(prisma: PrismaClient, from: Date, to: Date, dayStart: Date) {
  const window = Prisma.sql`r."startedAt" >= ${from} AND r."startedAt" <= ${to}`;
  const [minutes, totals, spend] = await prisma.$transaction([
    prisma.$queryRaw<MinuteRow[]>(Prisma.sql`
      SELECT date_trunc('minute', r."startedAt") AS m, COUNT(*)::int AS runs,
        COUNT(*) FILTER (WHERE r."status" = 'error')::int AS errors,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY r."latencyMs")::float8 AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY r."latencyMs")::float8 AS p95
      FROM "Run" r WHERE ${window} GROUP BY 1 ORDER BY 1`),
    prisma.$queryRaw<TotalsRow[]>(Prisma.sql`
      SELECT COUNT(*)::int AS runs,
        COUNT(*) FILTER (WHERE r."status" = 'error')::int AS errors,
        COUNT(*) FILTER (WHERE r."status" = 'running')::int AS running,
        COUNT(*) FILTER (WHERE r."status" <> 'running')::int AS finished,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY r."latencyMs")::float8 AS p50,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY r."latencyMs")::float8 AS p95
      FROM "Run" r WHERE ${window}`),
    prisma.$queryRaw<SpendRow[]>(Prisma.sql`
      SELECT COALESCE(SUM(c."costUsd"), 0)::float8 AS cost, COUNT(*)::int AS calls,
        COUNT(*) FILTER (WHERE c."priceUnknown")::int AS unpriced
      FROM "LMCall" c WHERE c."createdAt" >= ${dayStart} AND c."createdAt" <= ${to} AND NOT c."refused"`),
  ]);
  return { minutes, totals: totals[0]!, spend: spend[0]! };
}

/** 60 one-minute buckets ending with the current minute, empty minutes as zeros. */
function series(rows: readonly MinuteRow[], now: Date): OverviewMinute[] {
  const byMinute = new Map(rows.map((r) => [new Date(r.m).getTime(), r]));
  const last = Math.floor(now.getTime() / MINUTE) * MINUTE;
  return Array.from({ length: WINDOW_MINUTES }, (_, i) => {
    const t = last - (WINDOW_MINUTES - 1 - i) * MINUTE;
    const r = byMinute.get(t);
    return { t: new Date(t).toISOString(), runs: r?.runs ?? 0, errors: r?.errors ?? 0, p50Ms: round(r?.p50 ?? null), p95Ms: round(r?.p95 ?? null) };
  });
}

async function budgetsWithLabels(prisma: PrismaClient, now: Date): Promise<OverviewMetrics["spend"]["budgets"]> {
  const { items } = await listBudgets(prisma, { limit: 100 }, now);
  const names = await budgetTargetNames(prisma, items);
  const label = (scope: string, scopeId: string) =>
    scope === "global" ? "All spending" : `${scope === "apiKey" ? "API key" : scope} ${(scope !== "optimization" && names.get(scopeId)?.name) || scopeId.slice(0, 8)}`;
  // Daily budgets first: the page compares them with today's spend.
  const order = { day: 0, month: 1, total: 2 } as const;
  return [...items]
    .sort((a, b) => order[a.period] - order[b.period])
    .map((b) => ({ id: b.id, scope: b.scope, scopeId: b.scopeId, label: label(b.scope, b.scopeId), period: b.period, limitUsd: b.limitUsd, spentUsd: b.spentUsd, exhausted: b.exhausted }));
}

async function activeOptimizations(prisma: PrismaClient): Promise<OverviewOptimization[]> {
  const rows = await prisma.optimization.findMany({
    where: { status: { in: [...ACTIVE_OPTIMIZATIONS] } },
    orderBy: [{ createdAt: "desc" }],
    take: 20,
    include: { program: { select: { name: true } } },
  });
  return rows.map((o) => {
    const budgetUsd = o.budgetUsd === null ? null : Number(o.budgetUsd);
    const spentUsd = Number(o.spentUsd);
    const shares = [
      budgetUsd ? spentUsd / budgetUsd : null,
      o.budgetLmCalls ? o.lmCalls / o.budgetLmCalls : null,
      o.budgetSeconds ? o.spentSeconds / o.budgetSeconds : null,
    ].filter((x): x is number => x !== null && Number.isFinite(x));
    return {
      id: o.id,
      programName: o.program.name,
      optimizer: o.optimizer,
      status: o.status,
      trials: o.trialCount,
      bestScore: o.bestScore,
      spentUsd: usd(spentUsd),
      lmCalls: o.lmCalls,
      budget: { usd: budgetUsd, lmCalls: o.budgetLmCalls, seconds: o.budgetSeconds },
      progress: shares.length ? Math.min(1, Math.max(0, ...shares)) : null,
      startedAt: o.startedAt?.toISOString() ?? null,
    };
  });
}

/** The overview's numbers read from the database: all but the supervision tree, which lives in memory. */
export async function overviewFigures(prisma: PrismaClient, now: Date): Promise<Omit<OverviewMetrics, "supervision">> {
  const from = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - (WINDOW_MINUTES - 1) * MINUTE);
  const dayStart = windowStartOf("day", now);
  const [stats, budgets, optimizations, agentTotal, agentActive] = await Promise.all([
    runStats(prisma, from, now, dayStart),
    budgetsWithLabels(prisma, now),
    activeOptimizations(prisma),
    prisma.agent.count(),
    prisma.agent.count({ where: { state: { notIn: ["stopped", "failed"] } } }),
  ]);
  const t = stats.totals;
  const minutes = series(stats.minutes, now);
  // Throughput now: the last RATE_MINUTES minutes (the current one partly elapsed).
  const recent = minutes.slice(-RATE_MINUTES).reduce((n, p) => n + p.runs, 0);
  const elapsed = (RATE_MINUTES - 1) + (now.getTime() % MINUTE) / MINUTE;
  return {
    now: now.toISOString(),
    from: from.toISOString(),
    dayStart: dayStart.toISOString(),
    runs: {
      total: t.runs,
      errors: t.errors,
      running: t.running,
      errorRate: t.finished > 0 ? t.errors / t.finished : null,
      perMinute: Math.round((recent / Math.max(1, elapsed)) * 100) / 100,
      p50Ms: round(t.p50),
      p95Ms: round(t.p95),
    },
    series: minutes,
    spend: { todayUsd: usd(stats.spend.cost ?? 0), todayCalls: stats.spend.calls, todayUnpricedCalls: stats.spend.unpriced, budgets },
    optimizations,
    agents: { total: agentTotal, active: agentActive },
  };
}

