"use client";

import { useQuery } from "@tanstack/react-query";
import { Coins, Download, FilterX } from "lucide-react";
import { Card, CardHeader, EmptyState, Stat } from "@/components/ui";
import { routes, urlOf } from "@/lib/api/client";
import { COST_RANGES } from "@/lib/schemas";
import { useUrlState } from "../datasets/url-state";
import { btn } from "../datasets/styles";
import { BreakdownTable } from "./breakdown-table";
import { BudgetsCard } from "./budgets-card";
import { CostFilterBar } from "./cost-filters";
import { costsQuery, costSummaryQuery, FILTER_KEYS, type CostFilters } from "./cost-query";
import { DailyChart } from "./daily-chart";
import { compact, usd } from "./format";
import { useLiveCosts } from "./use-live-costs";

const GROUPS = [
  { value: "day", label: "by day" },
  { value: "provider", label: "by provider" },
  { value: "model", label: "by model" },
  { value: "program", label: "by program" },
  { value: "apiKey", label: "by API key" },
] as const;

/** Spend over a range (7/30/90 days), its breakdowns, the forecast, budgets, CSV export; live. */
export function CostsView() {
  useLiveCosts();
  const [params, set] = useUrlState();
  const raw = Number(params.get("days"));
  const days = (COST_RANGES as readonly number[]).includes(raw) ? raw : 30;
  const filters: CostFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) filters[k] = v;
  }
  const filtered = Object.keys(filters).length > 0;
  const clear = () => set({ programName: undefined, apiKeyId: undefined, model: undefined });
  const query = costsQuery(days, filters);
  const { data, error, isPending } = useQuery(costSummaryQuery(days, filters));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="inline-flex rounded-md border border-border bg-card p-0.5" role="group" aria-label="Time range">
          {COST_RANGES.map((d) => (
            <button key={d} type="button" aria-pressed={d === days} onClick={() => set({ days: d === 30 ? undefined : d })} className={`rounded px-3 py-1 text-sm ${d === days ? "bg-accent text-accent-fg" : "hover:bg-subtle"}`}>
              {d} days
            </button>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-1.5 text-sm" data-testid="cost-export">
          <span className="text-muted">Export CSV</span>
          {GROUPS.map((g) => (
            <a key={g.value} className={btn} href={urlOf(routes.exportCosts, { query: { ...query, groupBy: g.value } })} download>
              <Download className="size-3.5" aria-hidden /> {g.label}
            </a>
          ))}
        </div>
      </div>
      <CostFilterBar days={days} filters={filters} onChange={(k, v) => set({ [k]: v })} onClear={clear} />
      {error && <p className="text-sm text-bad">Could not load costs: {error.message}</p>}
      {isPending && <p className="text-sm text-muted" aria-busy>Loading costs…</p>}
      {data && (
        <>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat
              label={`Spend, last ${days} days${filtered ? " (filtered)" : ""}`}
              value={data.total.unpricedCalls > 0 ? `${usd(data.total.costUsd)} + unknown` : usd(data.total.costUsd)}
              hint={`${compact(data.total.calls)} LM call${data.total.calls === 1 ? "" : "s"}${data.total.refusedCalls > 0 ? ` · ${compact(data.total.refusedCalls)} refused by budgets (not counted)` : ""}`}
              testId="cost-total"
            />
            <Stat label="Tokens in / out" value={`${compact(data.total.inputTokens)} / ${compact(data.total.outputTokens)}`} hint={`${compact(data.total.cachedInputTokens)} cached input`} />
            <Stat label="Month to date" value={usd(data.forecast.monthToDateUsd)} hint={`${data.forecast.daysLeft} days left (UTC)`} testId="cost-mtd" />
            <Stat label="Month-end forecast" value={usd(data.forecast.monthEndUsd)} hint={<span title={data.forecast.method}>+ {usd(data.forecast.dailyMeanUsd)}/day (7-day mean) × {data.forecast.daysLeft} days</span>} testId="cost-forecast" />
          </div>
          {data.total.unpricedCalls > 0 && (
            <p className="rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-sm" data-testid="unpriced-note">
              {compact(data.total.unpricedCalls)} call{data.total.unpricedCalls === 1 ? "" : "s"} went to models with no known price: their cost is unknown, so the spend shown is a lower bound. Set a price in{" "}
              <a className="underline" href="/settings?tab=prices">
                Settings → Prices
              </a>{" "}
              (a price of 0 marks a model free); money budgets refuse such models until then.
            </p>
          )}
          {data.total.calls === 0 && filtered ? (
            <EmptyState icon={FilterX} title="No spend matches these filters">
              <p>Nothing was spent in the last {days} days for this combination of program, API key and model. Choose a longer range or other filters.</p>
              <button type="button" className={`${btn} mt-3`} onClick={clear}>Clear filters</button>
            </EmptyState>
          ) : data.total.calls === 0 ? (
            <EmptyState icon={Coins} title="Nothing spent in this range">
              Spend appears here live as programs call models: call a program (POST /api/v1/programs/&lt;name&gt;/predict) or run an optimization. Budgets below cap spending before a limit is passed.
            </EmptyState>
          ) : (
            <>
              <Card>
                <CardHeader title="Spend per day" description="UTC days, stacked by model" />
                <div className="p-3"><DailyChart summary={data} /></div>
              </Card>
              <div className="grid gap-4 lg:grid-cols-2">
                <BreakdownTable title="By provider" rows={data.byProvider} testId="cost-by-provider" />
                <BreakdownTable title="By model" rows={data.byModel} testId="cost-by-model" showProvider />
              </div>
              <div className="grid gap-4 lg:grid-cols-2">
                <BreakdownTable title="By program" rows={data.byProgram} testId="cost-by-program" />
                <BreakdownTable title="By API key" rows={data.byApiKey.map((r) => (r.key === null ? { ...r, label: "Dashboard / no key" } : r))} testId="cost-by-api-key" />
              </div>
            </>
          )}
          <p className="text-xs text-muted">Forecast method: {data.forecast.method}.</p>
        </>
      )}
      <BudgetsCard />
    </div>
  );
}
