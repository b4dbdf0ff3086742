"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { callApi, routes } from "@/lib/api/client";
import { fmtInt, fmtScore, fmtUsd } from "./format";
import { trialsKey } from "./live-data";
import { valueLabel, type TrialPoint } from "./trial-math";
import { pageParam, useUrlState } from "./url-state";

const SORTS = ["number", "score", "costUsd", "latencyMs"] as const;
type Sort = (typeof SORTS)[number];
const isSort = (v: string | null): v is Sort => SORTS.some((s) => s === v);
const LIMIT = 20;
type Evaluation = "full" | "minibatch";
const EVALUATIONS: { value: Evaluation; label: string }[] = [
  { value: "full", label: "Full evaluations" },
  { value: "minibatch", label: "Minibatches" },
];
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

/**
 * Which trials the table shows: full evaluations and minibatches are never listed (or ranked)
 * together, since a score on a handful of examples is not comparable with one on the whole set.
 * The URL's choice wins; without one, full evaluations when the run has any.
 */
export function evaluationShown(param: string | null, trials: readonly Pick<TrialPoint, "evaluation">[]): Evaluation {
  if (param === "full" || param === "minibatch") return param;
  return trials.some((t) => t.evaluation === "full") || trials.length === 0 ? "full" : "minibatch";
}

/**
 * The trials of one kind of evaluation, paged and sorted on the server (GET /optimizations/{id}/trials);
 * page, sort and kind live in the URL (?trialsPage, sort, order, evaluation). Each row opens its trial.
 */
export function TrialsTable({ optimizationId, trials }: { optimizationId: string; trials: readonly TrialPoint[] }) {
  const url = useUrlState();
  const rawSort = url.params.get("sort");
  const sort: Sort = isSort(rawSort) ? rawSort : "number";
  const order: "asc" | "desc" = url.params.get("order") === "asc" ? "asc" : "desc";
  const page = pageParam(url.params.get("trialsPage"));
  const evaluation = evaluationShown(url.params.get("evaluation"), trials);
  const counts = { full: trials.filter((t) => t.evaluation === "full").length, minibatch: trials.filter((t) => t.evaluation === "minibatch").length };
  const setPage = (p: number) => url.set({ trialsPage: p > 1 ? p : null });
  const query = useQuery({
    queryKey: [...trialsKey(optimizationId), { sort, order, page, evaluation }],
    queryFn: () =>
      callApi(routes.listTrials, { params: { id: optimizationId }, query: { evaluation, sort, order, page, limit: LIMIT } }),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  const toggle = (key: Sort) => {
    const nextOrder = key === sort ? (order === "asc" ? "desc" : "asc") : key === "number" || key === "score" ? "desc" : "asc";
    url.set({ sort: key, order: nextOrder, trialsPage: null });
  };
  return (
    <div data-testid="trials-table" data-total={data?.total ?? 0} data-evaluation={evaluation}>
      <div role="tablist" aria-label="Kind of evaluation" className="flex gap-1 border-b border-border px-3 py-2 text-sm">
        {EVALUATIONS.map((e) => (
          <button
            key={e.value}
            type="button"
            role="tab"
            aria-selected={e.value === evaluation}
            onClick={() => url.set({ evaluation: e.value, trialsPage: null })}
            className={`rounded-md px-2.5 py-1 ${e.value === evaluation ? "bg-subtle font-medium text-fg" : "text-muted hover:text-fg"}`}
          >
            {e.label} <span className="tabular-nums text-muted">({counts[e.value]})</span>
          </button>
        ))}
        <span className="ml-auto self-center text-xs text-muted">
          {evaluation === "minibatch" ? "Scores on a few examples each: noisy, ranked only among themselves" : "Scores on the whole validation set"}
        </span>
      </div>
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
              <tr key={t.id} className="border-b border-border last:border-0 hover:bg-subtle" data-testid="trial-row" data-number={t.number} data-score={t.score ?? ""}>
                <td className="px-3 py-2 tabular-nums">
                  <Link className="text-accent underline-offset-2 hover:underline" href={`/optimizations/${encodeURIComponent(optimizationId)}/trials/${t.number}`} aria-label={`Open trial ${t.number}`}>
                    {t.number}
                  </Link>
                </td>
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
                  {evaluation === "minibatch" ? "No minibatch trials in this run." : "No full evaluations yet: the first (the baseline, the program as it is) appears when the run starts."}
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
        <span>{data ? `${data.total} ${evaluation === "full" ? "full evaluations" : "minibatch trials"} · page ${page} of ${pages}` : ""}</span>
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
