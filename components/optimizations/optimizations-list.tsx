"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, FlaskConical, SearchX } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import type { ReplyOf } from "@/lib/api/routes";
import { OptimizationStatusNameSchema, type OptimizationStatusName } from "@/lib/schemas";
import { fmtDate, fmtScore, fmtUsd } from "./format";
import { ListFilters } from "./list-filters";
import { StatusBadge } from "./status-badge";
import { pageParam, useUrlState } from "./url-state";

type Page = ReplyOf<typeof routes.listOptimizations>;
const LIMIT = 25;

/** Every optimization, newest first, paged and filtered on the server (?page, programName, status in the URL), rows updated live from the "optimizations" room. */
export function OptimizationsList() {
  const qc = useQueryClient();
  const url = useUrlState();
  const page = pageParam(url.params.get("page"));
  const programName = url.params.get("programName") || null;
  const parsedStatus = OptimizationStatusNameSchema.safeParse(url.params.get("status"));
  const status: OptimizationStatusName | null = parsedStatus.success ? parsedStatus.data : null;
  const filtered = programName !== null || status !== null;
  const setPage = (p: number) => url.set({ page: p > 1 ? p : null });
  const setFilters = (f: { programName?: string | null; status?: string | null }) => url.set({ ...f, page: null });
  const clearFilters = () => url.set({ programName: null, status: null, page: null });

  const [selected, setSelected] = useState<string[]>([]);
  const key = ["optimizations", "list", { page, programName, status }] as const;
  const query = useQuery({ queryKey: key, queryFn: () => callApi(routes.listOptimizations, { query: { page, limit: LIMIT, ...(programName && { programName }), ...(status && { status }) } }), placeholderData: keepPreviousData });
  const { connectionEpoch } = useRealtime();
  useRoom("optimizations");
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void qc.invalidateQueries({ queryKey: ["optimizations", "list"] });
  }, [connectionEpoch, qc]);

  const patch = (id: string, change: (row: Page["items"][number]) => Page["items"][number]): boolean => {
    let found = false;
    qc.setQueryData<Page>(key, (prev) => prev && { ...prev, items: prev.items.map((r) => (r.id === id ? ((found = true), change(r)) : r)) });
    return found;
  };
  useServerEvent("optimization:status", (e) => {
    const found = patch(e.optimizationId, (r) => ({ ...r, status: e.status, trialCount: e.trials, bestScore: e.bestScore, baselineScore: e.baselineScore, spent: { usd: e.spentUsd, lmCalls: e.lmCalls, seconds: e.elapsedSeconds } }));
    const matches = status === null || e.status === status;
    // A shown row that left the status filter, or a launch / status change elsewhere that may now
    // belong on the first page: ask the server (which applies the filters) again.
    if ((found && !matches) || (!found && matches && page === 1)) void qc.invalidateQueries({ queryKey: ["optimizations", "list"] });
  });
  useServerEvent("trial:finished", (e) => {
    if (e.replayed) return;
    // Only rows on screen (so matching the filters) change; a trial never changes which rows match.
    patch(e.optimizationId, (r) => ({
      ...r,
      trialCount: Math.max(r.trialCount, e.number + 1),
      spent: { ...r.spent, usd: r.spent.usd + e.costUsd, lmCalls: r.spent.lmCalls + e.lmCalls },
      bestScore: e.evaluation === "full" && e.score !== null && (r.bestScore === null || e.score > r.bestScore) ? e.score : r.bestScore,
    }));
  });

  const filters = <ListFilters programName={programName} status={status} onChange={setFilters} onClear={clearFilters} />;
  const data = query.data;
  if (query.isError) return <p role="alert" className="text-sm text-bad">{query.error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading optimizations…</p>;
  if (data.total === 0 && filtered) {
    return (
      <div className="space-y-3">
        {filters}
        <EmptyState icon={SearchX} title="No optimizations match these filters">
          Try another program or status, or{" "}
          <button type="button" onClick={clearFilters} className="text-accent underline">
            clear the filters
          </button>{" "}
          to see every optimization.
        </EmptyState>
      </div>
    );
  }
  if (data.total === 0) {
    return (
      <EmptyState icon={FlaskConical} title="No optimizations yet">
        An optimization searches a program&apos;s variables (instructions, demos, temperature, model, module) against a dataset and its metric, within a
        budget. <Link href="/optimizations/new" className="text-accent underline">Launch the first one</Link>: each trial then appears live with its score and cost.
      </EmptyState>
    );
  }
  const pages = Math.max(1, Math.ceil(data.total / LIMIT));
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <div className="space-y-3">
      {filters}
      <div className="rounded-lg border border-border bg-card" data-testid="optimizations-table">
        <div className="flex items-center justify-between gap-2 border-b border-border px-3 py-2 text-xs text-muted">
          <span>Tick two or more to compare their best-so-far curves.</span>
          {selected.length >= 2 ? (
            <Link href={`/optimizations/compare?ids=${selected.map(encodeURIComponent).join(",")}`} className="rounded-md bg-accent px-2 py-1 font-medium text-accent-fg">
              Compare {selected.length}
            </Link>
          ) : (
            <span aria-hidden className="rounded-md border border-border px-2 py-1 opacity-50">Compare</span>
          )}
        </div>
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-muted">
              <tr className="border-b border-border">
                <th scope="col" className="w-8 px-3 py-2"><span className="sr-only">Select</span></th>
                <th scope="col" className="px-3 py-2 font-medium">Program</th>
                <th scope="col" className="px-3 py-2 font-medium">Optimizer</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Trials</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Best vs baseline</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Spend</th>
                <th scope="col" className="px-3 py-2 font-medium">Created</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id} className="border-b border-border last:border-0 hover:bg-subtle" data-testid="optimization-row" data-id={o.id} data-status={o.status}>
                  <td className="px-3 py-2">
                    <input type="checkbox" aria-label={`Select ${o.program.name} ${o.optimizer} for comparison`} checked={selected.includes(o.id)} onChange={() => toggle(o.id)} />
                  </td>
                  <td className="px-3 py-2 font-medium">
                    <Link href={`/optimizations/${o.id}`} className="hover:underline">
                      {o.program.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{o.optimizer}</td>
                  <td className="px-3 py-2">
                    <StatusBadge status={o.status} />
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="row-trials">{o.trialCount}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {fmtScore(o.bestScore)} <span className="text-muted">/ {fmtScore(o.baselineScore)}</span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {fmtUsd(o.spent.usd)}
                    {o.budget.usd !== null && <span className="text-muted"> / {fmtUsd(o.budget.usd)}</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-muted">{fmtDate(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="flex items-center justify-between gap-2 border-t border-border px-3 py-2 text-xs text-muted">
          <span>
            {data.total} optimizations · page {page} of {pages}
          </span>
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
    </div>
  );
}
