// Spend as the Costs page shows it: a summary of the last 7/30/90 days (by model, program, API key
// and day, with a month-end forecast), the same rows as CSV, and budgets with readable targets.
import type { z } from "zod";
import { FORECAST_METHOD, type BudgetSchema, type CostExportQuerySchema, type CostsQuerySchema, type CostSummarySchema, type Wire } from "../../schemas";
import type { BudgetView, CostRow, Store } from "../store";

const DAY_MS = 86_400_000;
/** Models drawn as their own series in the daily chart; the rest are summed as "other". */
const TOP_MODELS = 5;

type Filters = { programName?: string; apiKeyId?: string; model?: string };
type Parsed = z.output<typeof CostsQuerySchema>;

const utcDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS);
const round = (n: number) => Math.round(n * 1e9) / 1e9;

function filtersOf(q: Filters): Filters {
  return { ...(q.programName && { programName: q.programName }), ...(q.apiKeyId && { apiKeyId: q.apiKeyId }), ...(q.model && { model: q.model }) };
}

async function forecast(store: Pick<Store, "costReport">, filters: Filters, nowMs: number) {
  const now = new Date(nowMs);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const weekStart = new Date(utcDay(nowMs).getTime() - 6 * DAY_MS);
  const [month, week] = await Promise.all([
    store.costReport({ groupBy: "day", from: monthStart, limit: 1, ...filters }),
    store.costReport({ groupBy: "day", from: weekStart, limit: 1, ...filters }),
  ]);
  const daysLeft = daysInMonth - now.getUTCDate();
  const dailyMeanUsd = round(week.total.costUsd / 7);
  return { monthToDateUsd: month.total.costUsd, dailyMeanUsd, daysLeft, monthEndUsd: round(month.total.costUsd + dailyMeanUsd * daysLeft), method: FORECAST_METHOD };
}

/** The whole cost page in one answer: breakdowns, a zero-filled daily series stacked by model, the forecast. */
export async function costSummary(store: Pick<Store, "costReport">, q: Parsed, nowMs: number): Promise<Wire<typeof CostSummarySchema>> {
  const filters = filtersOf(q);
  const from = new Date(utcDay(nowMs).getTime() - (q.days - 1) * DAY_MS);
  const range = { from, ...filters };
  const [byModel, byProvider, byProgram, byApiKey, byDay, fc] = await Promise.all([
    store.costReport({ groupBy: "model", ...range }),
    store.costReport({ groupBy: "provider", ...range }),
    store.costReport({ groupBy: "program", ...range }),
    store.costReport({ groupBy: "apiKey", ...range }),
    store.costReport({ groupBy: "day", limit: q.days + 1, ...range }),
    forecast(store, filters, nowMs),
  ]);
  // A model served by two providers has two rows; the daily split is by model name.
  const top = byModel.rows.filter((r, i, all) => r.key !== null && r.costUsd > 0 && all.findIndex((o) => o.key === r.key) === i).slice(0, TOP_MODELS);
  const perModel = await Promise.all(top.map((m) => store.costReport({ groupBy: "day", limit: q.days + 1, ...range, model: m.key! })));
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
    byProvider: byProvider.rows,
    byProgram: byProgram.rows,
    byApiKey: byApiKey.rows,
    daily,
    models,
    forecast: fc,
  };
}

const CSV_COLUMNS = ["group", "key", "label", "cost_usd", "calls", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "provider", "unpriced_calls"] as const;

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
      [group, r.key, r.label, r.costUsd, r.calls, r.inputTokens, r.cachedInputTokens, r.cacheWriteTokens, r.outputTokens, r.reasoningTokens, r.provider ?? null, r.unpricedCalls].map(csvCell).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Budgets with a readable name for their scope target. */
export async function labelBudgets(store: Pick<Store, "budgetTargetNames">, budgets: readonly BudgetView[]): Promise<Wire<typeof BudgetSchema>[]> {
  const names = await store.budgetTargetNames(budgets);
  return budgets.map((b) => ({ ...b, label: b.scope === "global" ? "All spending" : (names.get(b.scopeId)?.label ?? b.scopeId) }));
}

/** The spend of the query's range grouped by its `groupBy`, as a CSV file and the name to save it under. */
export async function costsExport(store: Pick<Store, "costReport">, q: z.output<typeof CostExportQuerySchema>, nowMs: number): Promise<{ readonly csv: string; readonly filename: string }> {
  const from = new Date(utcDay(nowMs).getTime() - (q.days - 1) * DAY_MS);
  const report = await store.costReport({ groupBy: q.groupBy, from, limit: 1000, ...filtersOf(q) });
  const stamp = new Date(nowMs).toISOString().slice(0, 10);
  return { csv: costsCsv(q.groupBy, report.rows), filename: `dspex-costs-by-${q.groupBy}-${q.days}d-${stamp}.csv` };
}
