// Spending limits per scope (global, a program, an optimization, an API key) and period (day,
// month, all time), with what has been spent in the current window read from the SpendLedger
// (written atomically by the runtime's budget enforcement).
import { Prisma, type PrismaClient } from "../../db";
import {
  BudgetListQuerySchema,
  CreateBudgetSchema,
  UpdateBudgetSchema,
  type BudgetListQuery,
  type BudgetPeriod,
  type BudgetScope,
  type BudgetTargets,
  type CreateBudgetInput,
  type UpdateBudgetInput,
} from "../../schemas/budgets";
import type { Page } from "../../schemas/pagination";
import { ConflictError, NotFoundError } from "./errors";
import { usd } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";
import { isRecordMissing, isUniqueViolation } from "./prisma-errors";

export interface BudgetView {
  readonly id: string;
  readonly scope: BudgetScope;
  readonly scopeId: string;
  readonly period: BudgetPeriod;
  readonly limitUsd: number;
  /** Spent in the current window (today, this month, or all time; UTC). */
  readonly spentUsd: number;
  readonly remainingUsd: number;
  readonly exhausted: boolean;
  readonly windowStart: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

type BudgetRow = Prisma.BudgetGetPayload<object>;

/** Where the current window of a period starts (UTC): midnight today, the 1st of the month, or the epoch. */
export function windowStartOf(period: BudgetPeriod, now: Date): Date {
  if (period === "day") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (period === "month") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return new Date(0);
}

async function withSpend(prisma: PrismaClient, rows: readonly BudgetRow[], now: Date): Promise<BudgetView[]> {
  if (rows.length === 0) return [];
  const ledger = await prisma.spendLedger.findMany({
    where: { OR: rows.map((b) => ({ scope: b.scope, scopeId: b.scopeId, period: b.period, windowStart: { gte: windowStartOf(b.period, now), lte: now } })) },
  });
  return rows.map((b) => {
    const start = windowStartOf(b.period, now);
    const spent = ledger
      .filter((l) => l.scope === b.scope && l.scopeId === b.scopeId && l.period === b.period && l.windowStart >= start && l.windowStart <= now)
      .reduce((sum, l) => sum + usd(l.spentUsd), 0);
    const limit = usd(b.limitUsd);
    const spentRounded = Math.round(spent * 1e9) / 1e9;
    return {
      id: b.id,
      scope: b.scope,
      scopeId: b.scopeId,
      period: b.period,
      limitUsd: limit,
      spentUsd: spentRounded,
      remainingUsd: Math.max(0, Math.round((limit - spentRounded) * 1e9) / 1e9),
      exhausted: spentRounded >= limit,
      windowStart: start.toISOString(),
      createdAt: b.createdAt.toISOString(),
      updatedAt: b.updatedAt.toISOString(),
    };
  });
}

async function requireScopeTarget(prisma: PrismaClient, scope: BudgetScope, scopeId: string): Promise<void> {
  const where = { where: { id: scopeId }, select: { id: true } };
  const found =
    scope === "global" ||
    (scope === "program" && (await prisma.program.findUnique(where))) ||
    (scope === "optimization" && (await prisma.optimization.findUnique(where))) ||
    (scope === "apiKey" && (await prisma.apiKey.findUnique(where)));
  if (!found) throw new NotFoundError(scope === "apiKey" ? "API key" : scope, scopeId, "scopeId");
}

const SCOPE_COLUMN: Record<BudgetScope, Prisma.Sql | undefined> = {
  global: undefined,
  program: Prisma.sql`"programId"`,
  optimization: Prisma.sql`"optimizationId"`,
  apiKey: Prisma.sql`"apiKeyId"`,
};

/**
 * A new budget starts from what its scope already spent in the current window (the ledger only
 * counts calls made while a budget applied): the recorded calls' cost, refused calls excluded,
 * unless the ledger already holds more.
 */
async function countEarlierSpend(tx: Prisma.TransactionClient, scope: BudgetScope, scopeId: string, period: BudgetPeriod, now: Date): Promise<void> {
  const start = windowStartOf(period, now);
  const column = SCOPE_COLUMN[scope];
  const inScope = column ? Prisma.sql`AND c.${column} = ${scopeId}` : Prisma.empty;
  await tx.$executeRaw`
    INSERT INTO "SpendLedger" AS l ("scope", "scopeId", "period", "windowStart", "spentUsd", "updatedAt")
    SELECT ${scope}::"BudgetScope", ${scopeId}, ${period}::"BudgetPeriod", ${start}, COALESCE(SUM(c."costUsd"), 0), now()
    FROM "LMCall" c WHERE c."createdAt" >= ${start} AND c."createdAt" <= ${now} AND NOT c."refused" ${inScope}
    ON CONFLICT ("scope", "scopeId", "period", "windowStart") DO UPDATE SET "spentUsd" = GREATEST(l."spentUsd", EXCLUDED."spentUsd"), "updatedAt" = now()`;
}

/** Errors: INVALID (each field), NOT_FOUND (scopeId), CONFLICT (a budget for this scope and period exists). */
export async function createBudget(prisma: PrismaClient, input: CreateBudgetInput, now: Date = new Date()): Promise<BudgetView> {
  const q = parseInput(CreateBudgetSchema, input, "budget");
  await requireScopeTarget(prisma, q.scope, q.scopeId);
  try {
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.budget.create({ data: { scope: q.scope, scopeId: q.scopeId, period: q.period, limitUsd: q.limitUsd } });
      await countEarlierSpend(tx, q.scope, q.scopeId, q.period, now);
      return created;
    });
    return (await withSpend(prisma, [row], now))[0]!;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`a ${q.period} budget for ${q.scope}${q.scopeId ? ` "${q.scopeId}"` : ""} already exists; change its limit instead`, "period");
    }
    throw err;
  }
}

/** Changes a budget's limit. Errors: INVALID, NOT_FOUND. */
export async function updateBudget(prisma: PrismaClient, id: string, input: UpdateBudgetInput, now: Date = new Date()): Promise<BudgetView> {
  const q = parseInput(UpdateBudgetSchema, input, "budget");
  try {
    const row = await prisma.budget.update({ where: { id }, data: { limitUsd: q.limitUsd } });
    return (await withSpend(prisma, [row], now))[0]!;
  } catch (err) {
    if (isRecordMissing(err)) throw new NotFoundError("budget", id, "id");
    throw err;
  }
}

/** Errors: NOT_FOUND. */
export async function deleteBudget(prisma: PrismaClient, id: string): Promise<void> {
  const { count } = await prisma.budget.deleteMany({ where: { id } });
  if (count === 0) throw new NotFoundError("budget", id, "id");
}

export async function getBudget(prisma: PrismaClient, id: string, now: Date = new Date()): Promise<BudgetView> {
  const row = await prisma.budget.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("budget", id, "id");
  return (await withSpend(prisma, [row], now))[0]!;
}

/** Budgets (global first, then by scope, target and period) with their current spend. */
export async function listBudgets(prisma: PrismaClient, query: BudgetListQuery = {}, now: Date = new Date()): Promise<Page<BudgetView>> {
  const q = parseInput(BudgetListQuerySchema, query, "budget list");
  const where: Prisma.BudgetWhereInput = { ...(q.scope ? { scope: q.scope } : {}), ...(q.scopeId !== undefined ? { scopeId: q.scopeId } : {}) };
  const page = await readPage(
    prisma,
    q,
    (w) => prisma.budget.findMany({ where, orderBy: [{ scope: "asc" }, { scopeId: "asc" }, { period: "asc" }], ...w }),
    () => prisma.budget.count({ where }),
    (row) => row,
  );
  return { ...page, items: await withSpend(prisma, page.items, now) };
}

export interface BudgetTargetName {
  /** The program's or API key's name, or "<program> · <optimizer>" for an optimization. */
  readonly name: string;
  /** The name as budget lists show it: API keys with their prefix, optimizations with a short id. */
  readonly label: string;
}

const optimizationName = (o: { id: string; optimizer: string; program: { name: string } }) => `${o.program.name} · ${o.optimizer} (${o.id.slice(0, 8)})`;

/** Readable names of the budgets' targets, by scope id (global budgets have none). */
export async function budgetTargetNames(prisma: PrismaClient, budgets: readonly Pick<BudgetView, "scope" | "scopeId">[]): Promise<Map<string, BudgetTargetName>> {
  const ids = (scope: BudgetScope) => budgets.filter((b) => b.scope === scope).map((b) => b.scopeId);
  const [programIds, keyIds, optimizationIds] = [ids("program"), ids("apiKey"), ids("optimization")];
  const [programs, keys, optimizations] = await Promise.all([
    programIds.length ? prisma.program.findMany({ where: { id: { in: programIds } }, select: { id: true, name: true } }) : [],
    keyIds.length ? prisma.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, prefix: true } }) : [],
    optimizationIds.length ? prisma.optimization.findMany({ where: { id: { in: optimizationIds } }, select: { id: true, optimizer: true, program: { select: { name: true } } } }) : [],
  ]);
  return new Map<string, BudgetTargetName>([
    ...programs.map((p) => [p.id, { name: p.name, label: p.name }] as const),
    ...keys.map((k) => [k.id, { name: k.name, label: `${k.name} (${k.prefix})` }] as const),
    ...optimizations.map((o) => [o.id, { name: `${o.program.name} · ${o.optimizer}`, label: optimizationName(o) }] as const),
  ]);
}

/** What a budget can limit: every program, the API keys not revoked, the 50 latest optimizations. */
/** Every budget's limit, as the budget guard reads them (amounts as decimal strings). */
export async function budgetLimits(prisma: PrismaClient) {
  const rows = await prisma.budget.findMany();
  return rows.map((b) => ({ scope: b.scope, scopeId: b.scopeId, period: b.period, limitUsd: b.limitUsd.toString() }));
}

export async function listBudgetTargets(prisma: PrismaClient): Promise<BudgetTargets> {
  const [programs, apiKeys, optimizations] = await Promise.all([
    prisma.program.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    prisma.apiKey.findMany({ where: { revokedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, prefix: true } }),
    prisma.optimization.findMany({ orderBy: { createdAt: "desc" }, take: 50, select: { id: true, optimizer: true, program: { select: { name: true } } } }),
  ]);
  return { programs, apiKeys, optimizations: optimizations.map((o) => ({ id: o.id, name: optimizationName(o) })) };
}
