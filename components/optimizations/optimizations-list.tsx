"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, FlaskConical } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { EmptyState } from "@/components/ui";
import { api } from "@/lib/client/api";
import { OptimizationPageSchema } from "@/lib/schemas";
import { fmtDate, fmtScore, fmtUsd } from "./format";
import { StatusBadge } from "./status-badge";

type Page = z.output<typeof OptimizationPageSchema>;
const LIMIT = 25;

/** Every optimization, newest first, paged on the server, rows updated live from the "optimizations" room. */
export function OptimizationsList() {
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const key = ["optimizations", "list", { page }] as const;
  const query = useQuery({ queryKey: key, queryFn: () => api(`/api/v1/optimizations?page=${page}&limit=${LIMIT}`, OptimizationPageSchema), placeholderData: keepPreviousData });
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

  const patch = (id: string, change: (row: Page["items"][number]) => Page["items"][number]) => {
    let found = false;
    qc.setQueryData<Page>(key, (prev) => prev && { ...prev, items: prev.items.map((r) => (r.id === id ? ((found = true), change(r)) : r)) });
    // A launch from elsewhere: the first page gains a row.
    if (!found && page === 1) void qc.invalidateQueries({ queryKey: ["optimizations", "list"] });
  };
  useServerEvent("optimization:status", (e) =>
    patch(e.optimizationId, (r) => ({ ...r, status: e.status, trialCount: e.trials, bestScore: e.bestScore, baselineScore: e.baselineScore, spent: { usd: e.spentUsd, lmCalls: e.lmCalls, seconds: e.elapsedSeconds } })),
  );
  useServerEvent("trial:finished", (e) => {
    if (e.replayed) return;
    patch(e.optimizationId, (r) => ({
      ...r,
      trialCount: Math.max(r.trialCount, e.number + 1),
      spent: { ...r.spent, usd: r.spent.usd + e.costUsd, lmCalls: r.spent.lmCalls + e.lmCalls },
      bestScore: e.evaluation === "full" && e.score !== null && (r.bestScore === null || e.score > r.bestScore) ? e.score : r.bestScore,
    }));
  });

  const data = query.data;
  if (query.isError) return <p role="alert" className="text-sm text-bad">{query.error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading optimizations…</p>;
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
  );
}
