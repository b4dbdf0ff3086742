// Spend through the API: a summary of the last 7/30/90 days (by model, program, API key and day,
// with a month-end forecast), the same as CSV, and budgets (list for anyone, changes for admins).
import { z } from "zod";
import type { PrismaClient } from "../../db";
import {
  BudgetDeletedSchema,
  BudgetIdParamsSchema,
  BudgetListQuerySchema,
  BudgetPageSchema,
  BudgetSchema,
  BudgetTargetsSchema,
  CostExportQuerySchema,
  CostsQuerySchema,
  CostSummarySchema,
  CreateBudgetSchema,
  UpdateBudgetSchema,
  type BudgetListQuery,
  type CostExportQuery,
  type CostsQuery,
} from "../../schemas";
import { costReport, createBudget, deleteBudget, listBudgets, updateBudget, type BudgetView, type CostRow } from "../store";
import { defineRoute, type Route, type Wire } from "./router";

export interface CostsEnv {
  readonly prisma: PrismaClient;
  /** Milliseconds (default Date.now). */
  readonly now?: () => number;
  /** Called after a budget changes, so the LM stack stops trusting its cached budgets. */
  readonly onBudgetsChanged?: () => void;
  /** Commits pending events first, so the numbers include every LM call already pushed to browsers. */
  readonly flushEvents?: () => Promise<void>;
}

const DAY_MS = 86_400_000;
/** Models drawn as their own series in the daily chart; the rest are summed as "other". */
const TOP_MODELS = 5;
export const FORECAST_METHOD =
  "spend so far this month (UTC) plus the mean daily spend of the last 7 days (today included) times the whole days left in the month after today";

type Filters = { programName?: string; apiKeyId?: string; model?: string };
type Parsed = z.output<typeof CostsQuerySchema>;

const utcDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS);
const round = (n: number) => Math.round(n * 1e9) / 1e9;

function filtersOf(q: Parsed): Filters {
  return { ...(q.programName && { programName: q.programName }), ...(q.apiKeyId && { apiKeyId: q.apiKeyId }), ...(q.model && { model: q.model }) };
}

async function forecast(prisma: PrismaClient, filters: Filters, nowMs: number) {
  const now = new Date(nowMs);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const weekStart = new Date(utcDay(nowMs).getTime() - 6 * DAY_MS);
  const [month, week] = await Promise.all([
    costReport(prisma, { groupBy: "day", from: monthStart, limit: 1, ...filters }),
    costReport(prisma, { groupBy: "day", from: weekStart, limit: 1, ...filters }),
  ]);
  const daysLeft = daysInMonth - now.getUTCDate();
  const dailyMeanUsd = round(week.total.costUsd / 7);
  return { monthToDateUsd: month.total.costUsd, dailyMeanUsd, daysLeft, monthEndUsd: round(month.total.costUsd + dailyMeanUsd * daysLeft), method: FORECAST_METHOD };
}

/** The whole cost page in one answer: breakdowns, a zero-filled daily series stacked by model, the forecast. */
export async function costSummary(prisma: PrismaClient, q: Parsed, nowMs: number): Promise<Wire<typeof CostSummarySchema>> {
  const filters = filtersOf(q);
  const from = new Date(utcDay(nowMs).getTime() - (q.days - 1) * DAY_MS);
  const range = { from, ...filters };
  const [byModel, byProgram, byApiKey, byDay, fc] = await Promise.all([
    costReport(prisma, { groupBy: "model", ...range }),
    costReport(prisma, { groupBy: "program", ...range }),
    costReport(prisma, { groupBy: "apiKey", ...range }),
    costReport(prisma, { groupBy: "day", limit: q.days + 1, ...range }),
    forecast(prisma, filters, nowMs),
  ]);
  const top = byModel.rows.filter((r) => r.key !== null && r.costUsd > 0).slice(0, TOP_MODELS);
  const perModel = await Promise.all(top.map((m) => costReport(prisma, { groupBy: "day", limit: q.days + 1, ...range, model: m.key! })));
  const models = top.map((m) => m.label);
  const hasOther = byModel.rows.some((r) => !top.includes(r) && r.costUsd > 0);
  if (hasOther) models.push("other");

  const dayRows = new Map(byDay.rows.map((r) => [r.key, r]));
  const daily = [];
  for (let t = from.getTime(); t <= utcDay(nowMs).getTime(); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const row = dayRows.get(day);
    const split: Record<string, number> = {};
    let covered = 0;
    top.forEach((m, i) => {
      const cost = perModel[i]!.rows.find((r) => r.key === day)?.costUsd ?? 0;
      split[m.label] = cost;
      covered += cost;
    });
    if (hasOther) split.other = Math.max(0, round((row?.costUsd ?? 0) - covered));
    daily.push({ day, costUsd: row?.costUsd ?? 0, calls: row?.calls ?? 0, byModel: split });
  }
  return {
    days: q.days,
    from: from.toISOString(),
    to: new Date(nowMs).toISOString(),
    total: byModel.total,
    byModel: byModel.rows,
    byProgram: byProgram.rows,
    byApiKey: byApiKey.rows,
    daily,
    models,
    forecast: fc,
  };
}

const CSV_COLUMNS = ["group", "key", "label", "cost_usd", "calls", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens"] as const;

function csvCell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  // Quote what needs it; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function costsCsv(group: string, rows: readonly CostRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [group, r.key, r.label, r.costUsd, r.calls, r.inputTokens, r.cachedInputTokens, r.cacheWriteTokens, r.outputTokens, r.reasoningTokens].map(csvCell).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Budgets with a readable name for their scope target. */
async function labelled(prisma: PrismaClient, budgets: readonly BudgetView[]): Promise<Wire<typeof BudgetSchema>[]> {
  const ids = (scope: string) => budgets.filter((b) => b.scope === scope).map((b) => b.scopeId);
  const [programs, keys, optimizations] = await Promise.all([
    prisma.program.findMany({ where: { id: { in: ids("program") } }, select: { id: true, name: true } }),
    prisma.apiKey.findMany({ where: { id: { in: ids("apiKey") } }, select: { id: true, name: true, prefix: true } }),
    prisma.optimization.findMany({ where: { id: { in: ids("optimization") } }, select: { id: true, optimizer: true, program: { select: { name: true } } } }),
  ]);
  const names = new Map<string, string>([
    ...programs.map((p) => [p.id, p.name] as const),
    ...keys.map((k) => [k.id, `${k.name} (${k.prefix})`] as const),
    ...optimizations.map((o) => [o.id, `${o.program.name} · ${o.optimizer} (${o.id.slice(0, 8)})`] as const),
  ]);
  return budgets.map((b) => ({ ...b, label: b.scope === "global" ? "All spending" : (names.get(b.scopeId) ?? b.scopeId) }));
}

export function costRoutes(env: CostsEnv): Route[] {
  const { prisma } = env;
  const now = env.now ?? Date.now;

  const summary = defineRoute<CostsQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/costs",
      operationId: "getCosts",
      summary: "Spend of the last 7, 30 or 90 days",
      description: `By model, program, API key and day (UTC), with a month-end forecast: ${FORECAST_METHOD}. Filters: programName, apiKeyId, model.`,
      tag: "costs",
      auth: true,
      query: CostsQuerySchema,
      success: { status: 200, name: "CostSummary", schema: CostSummarySchema, description: "Totals, breakdowns, the daily series and the forecast." },
      errors: [],
    },
    async ({ query }) => {
      await env.flushEvents?.();
      return { status: 200, body: await costSummary(prisma, CostsQuerySchema.parse(query), now()) };
    },
  );

  const exportCsv = defineRoute<CostExportQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/costs/export.csv",
      operationId: "exportCosts",
      summary: "Spend as CSV",
      description: "The same range and filters as GET /api/v1/costs, grouped by groupBy (day, model, program or apiKey; default day), as a CSV attachment.",
      tag: "costs",
      auth: true,
      query: CostExportQuerySchema,
      success: { status: 200, name: "CostCsv", schema: z.string(), description: "text/csv: group,key,label,cost_usd,calls,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens" },
      errors: [],
    },
    async ({ query }) => {
      const q = CostExportQuerySchema.parse(query);
      await env.flushEvents?.();
      const nowMs = now();
      const from = new Date(utcDay(nowMs).getTime() - (q.days - 1) * DAY_MS);
      const report = await costReport(prisma, { groupBy: q.groupBy, from, limit: 1000, ...filtersOf(q) });
      const stamp = new Date(nowMs).toISOString().slice(0, 10);
      return {
        status: 200,
        body: costsCsv(q.groupBy, report.rows),
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="dspex-costs-by-${q.groupBy}-${q.days}d-${stamp}.csv"` },
      };
    },
  );

  const list = defineRoute<BudgetListQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/budgets",
      operationId: "listBudgets",
      summary: "Budgets with what they have spent in their current window",
      description: "Filters: scope, scopeId. Paged: page, limit.",
      tag: "budgets",
      auth: true,
      query: BudgetListQuerySchema,
      success: { status: 200, name: "BudgetPage", schema: BudgetPageSchema, description: "One page of budgets with the total count." },
      errors: [],
    },
    async ({ query }) => {
      await env.flushEvents?.();
      const page = await listBudgets(prisma, query, new Date(now()));
      return { status: 200, body: { ...page, items: await labelled(prisma, page.items) } };
    },
  );

  const targets = defineRoute(
    {
      method: "GET",
      path: "/api/v1/budgets/targets",
      operationId: "listBudgetTargets",
      summary: "What a budget can limit",
      description: "The programs, the API keys that are not revoked, and the 50 latest optimizations.",
      tag: "budgets",
      auth: true,
      success: { status: 200, name: "BudgetTargets", schema: BudgetTargetsSchema, description: "Programs, API keys and optimizations by id." },
      errors: [],
    },
    async () => {
      const [programs, apiKeys, optimizations] = await Promise.all([
        prisma.program.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
        prisma.apiKey.findMany({ where: { revokedAt: null }, orderBy: { name: "asc" }, select: { id: true, name: true, prefix: true } }),
        prisma.optimization.findMany({ orderBy: { createdAt: "desc" }, take: 50, select: { id: true, optimizer: true, program: { select: { name: true } } } }),
      ]);
      const opts = optimizations.map((o) => ({ id: o.id, name: `${o.program.name} · ${o.optimizer} (${o.id.slice(0, 8)})` }));
      return { status: 200, body: { programs, apiKeys, optimizations: opts } };
    },
  );

  const create = defineRoute<undefined, z.output<typeof CreateBudgetSchema>>(
    {
      method: "POST",
      path: "/api/v1/budgets",
      operationId: "createBudget",
      summary: "Create a budget",
      description: "One budget per scope, target and period. The LM stops spending for the scope once the window's spend reaches the limit.",
      tag: "budgets",
      auth: "admin",
      body: { name: "CreateBudgetBody", schema: CreateBudgetSchema, example: { scope: "global", period: "month", limitUsd: "50" }, limit: "single" },
      success: { status: 201, name: "Budget", schema: BudgetSchema, description: "The budget with its current spend." },
      errors: ["NOT_FOUND", "CONFLICT"],
    },
    async ({ body }) => {
      const budget = await createBudget(prisma, body, new Date(now()));
      env.onBudgetsChanged?.();
      return { status: 201, body: (await labelled(prisma, [budget]))[0] };
    },
  );

  const update = defineRoute<undefined, z.output<typeof UpdateBudgetSchema>>(
    {
      method: "POST",
      path: "/api/v1/budgets/{id}",
      operationId: "updateBudget",
      summary: "Change a budget's limit",
      tag: "budgets",
      auth: "admin",
      params: BudgetIdParamsSchema,
      body: { name: "UpdateBudgetBody", schema: UpdateBudgetSchema, example: { limitUsd: "75" }, limit: "single" },
      success: { status: 200, name: "Budget", schema: BudgetSchema, description: "The budget with its current spend." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, body }) => {
      const budget = await updateBudget(prisma, params.id!, body, new Date(now()));
      env.onBudgetsChanged?.();
      return { status: 200, body: (await labelled(prisma, [budget]))[0] };
    },
  );

  const remove = defineRoute(
    {
      method: "POST",
      path: "/api/v1/budgets/{id}/delete",
      operationId: "deleteBudget",
      summary: "Delete a budget",
      tag: "budgets",
      auth: "admin",
      params: BudgetIdParamsSchema,
      success: { status: 200, name: "BudgetDeleted", schema: BudgetDeletedSchema, description: "The budget is gone." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      await deleteBudget(prisma, params.id!);
      env.onBudgetsChanged?.();
      return { status: 200, body: { deleted: true, id: params.id! } };
    },
  );

  return [summary, exportCsv, list, targets, create, update, remove];
}
