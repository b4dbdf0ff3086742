"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight } from "lucide-react";
import { api } from "@/lib/client/api";
import { TrialPageSchema } from "@/lib/schemas";
import { fmtInt, fmtScore, fmtUsd } from "./format";
import { trialsKey } from "./live-data";
import { valueLabel } from "./trial-math";
import { pageParam, useUrlState } from "./url-state";

const SORTS = ["number", "score", "costUsd", "latencyMs"] as const;
type Sort = (typeof SORTS)[number];
const isSort = (v: string | null): v is Sort => SORTS.some((s) => s === v);
const LIMIT = 20;
const COLUMNS: { key: Sort | null; label: string; align?: "right" }[] = [
  { key: "number", label: "#" },
  { key: null, label: "Status" },
  { key: "score", label: "Score", align: "right" },
  { key: "costUsd", label: "Cost", align: "right" },
  { key: null, label: "LM calls", align: "right" },
  { key: "latencyMs", label: "Latency", align: "right" },
  { key: null, label: "Configuration" },
];

function configSummary(config: unknown): string {
  if (!config || typeof config !== "object") return "—";
  return Object.entries(config as Record<string, unknown>)
    .map(([k, v]) => `${k}=${valueLabel(v)}`)
    .join(", ");
}

/** The trials, paged and sorted on the server (GET /optimizations/{id}/trials); page and sort live in the URL (?trialsPage, sort, order). */
export function TrialsTable({ optimizationId }: { optimizationId: string }) {
  const url = useUrlState();
  const rawSort = url.params.get("sort");
  const sort: Sort = isSort(rawSort) ? rawSort : "number";
  const order: "asc" | "desc" = url.params.get("order") === "asc" ? "asc" : "desc";
  const page = pageParam(url.params.get("trialsPage"));
  const setPage = (p: number) => url.set({ trialsPage: p > 1 ? p : null });
  const query = useQuery({
    queryKey: [...trialsKey(optimizationId), { sort, order, page }],
    queryFn: () => api(`/api/v1/optimizations/${encodeURIComponent(optimizationId)}/trials?sort=${sort}&order=${order}&page=${page}&limit=${LIMIT}`, TrialPageSchema),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  const toggle = (key: Sort) => {
    const nextOrder = key === sort ? (order === "asc" ? "desc" : "asc") : key === "number" || key === "score" ? "desc" : "asc";
    url.set({ sort: key, order: nextOrder, trialsPage: null });
  };
  return (
    <div data-testid="trials-table" data-total={data?.total ?? 0}>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-muted">
            <tr className="border-b border-border">
              {COLUMNS.map((c) => (
                <th key={c.label} scope="col" className={`px-3 py-2 font-medium ${c.align === "right" ? "text-right" : ""}`} aria-sort={c.key === sort ? (order === "asc" ? "ascending" : "descending") : undefined}>
                  {c.key ? (
                    <button type="button" onClick={() => toggle(c.key!)} className="inline-flex items-center gap-1 hover:text-fg">
                      {c.label}
                      {c.key === sort && (order === "asc" ? <ArrowUp className="size-3" /> : <ArrowDown className="size-3" />)}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data?.items.map((t) => (
              <tr key={t.id} className="border-b border-border last:border-0">
                <td className="px-3 py-2 tabular-nums">{t.number}</td>
                <td className="px-3 py-2">
                  <span className={t.status === "failed" ? "text-bad" : t.status === "pruned" ? "text-warn" : ""}>{t.status}</span>
                  <span className="ml-1 text-xs text-muted">{t.evaluation === "minibatch" ? `minibatch of ${t.examples}` : `${t.examples} examples`}</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtScore(t.score)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtUsd(t.costUsd)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{fmtInt(t.lmCalls)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{t.latencyMs === null ? "—" : `${fmtInt(t.latencyMs)} ms`}</td>
                <td className="max-w-md truncate px-3 py-2 font-mono text-xs text-muted" title={configSummary(t.config)}>
                  {configSummary(t.config)}
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length} className="px-3 py-8 text-center text-muted">
                  No trials yet: the first (the baseline, the program as it is) appears when the run starts.
                </td>
              </tr>
            )}
            {!data && (
              <tr>
                <td colSpan={COLUMNS.length} className="px-3 py-8 text-center text-muted">
                  Loading trials…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between gap-2 border-t border-border px-3 py-2 text-xs text-muted">
        <span>{data ? `${data.total} trials · page ${page} of ${pages}` : ""}</span>
        <div className="flex gap-1">
          <button type="button" className="rounded border border-border p-1 disabled:opacity-40" onClick={() => setPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
            <ChevronLeft className="size-4" />
          </button>
          <button type="button" className="rounded border border-border p-1 disabled:opacity-40" onClick={() => setPage(page + 1)} disabled={page >= pages} aria-label="Next page">
            <ChevronRight className="size-4" />
          </button>
        </div>
      </div>
    </div>
  );
}
