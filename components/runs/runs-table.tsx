"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, ChevronLeft, ChevronRight, Radio } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRealtime, useRoom } from "@/components/realtime";
import { PriceUnknown } from "@/components/costs";
import { EmptyState } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { formatCount, formatMs, formatTime, formatUsd } from "./format";
import { RunFilterBar, type RunFilterOptions } from "./run-filters";
import { StatusBadge } from "./status-badge";
import { useRunFilters } from "./use-run-filters";
import { useLiveRuns } from "./use-live-runs";


export function RunsTable({ options }: { options: RunFilterOptions }) {
  const { filters, page, limit, query, setFilters, setPage, clear, pageSizes } = useRunFilters();
  const queryClient = useQueryClient();
  const { connectionEpoch } = useRealtime();
  const key = useMemo(() => ["runs", "list", query] as const, [query]);
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => callApi(routes.listRuns, { query, signal }), placeholderData: keepPreviousData });

  // Live: on the first page without a time range, new runs are pulled in; elsewhere the rows on
  // screen are updated in place when they finish.
  const live = page === 1 && !filters.from && !filters.to;
  useRoom("runs");
  const merge = useLiveRuns(key, filters, live);
  // After a reconnect, catch up from the database.
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch !== firstEpoch.current) void queryClient.invalidateQueries({ queryKey: ["runs", "list"] });
  }, [connectionEpoch, queryClient]);

  // Runs that started after the page opened are tinted: they arrived live.
  const [openedAt] = useState(() => Date.now());

  const fieldErrors = list.error instanceof ApiError ? list.error.fields : {};
  const data = list.data;
  const shown = merge(data);
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;
  const anyFilter = Object.values(filters).some(Boolean);

  return (
    <div>
      <RunFilterBar filters={filters} options={options} onChange={setFilters} onClear={clear} fieldErrors={fieldErrors} />
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-xs text-muted">
        <span data-testid="runs-total">{shown ? `${formatCount(shown.total)} run${shown.total === 1 ? "" : "s"}` : list.error ? "No runs shown" : "Loading runs…"}</span>
        <span className="inline-flex items-center gap-1" data-testid="runs-live" data-live={live}>
          <Radio aria-hidden className={`size-3.5 ${live ? "text-ok" : ""}`} />
          {live ? "New runs appear live" : "Live updates paused: go to page 1 without a time range to see new runs"}
        </span>
      </div>
      {list.error && (
        <div role="alert" data-testid="runs-error" className="mb-3 rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad">
          {Object.keys(fieldErrors).length > 0 ? (
            <>
              <p>The address asks for runs with a filter the server refuses:</p>
              <ul className="mt-1 list-disc pl-5">
                {Object.entries(fieldErrors).map(([field, message]) => (
                  <li key={field}>
                    <code className="font-mono">{field}</code>
                    {filters[field as keyof typeof filters] !== undefined && (
                      <>
                        {" = "}
                        <code className="font-mono">{JSON.stringify(filters[field as keyof typeof filters])}</code>
                      </>
                    )}
                    : {message}
                  </li>
                ))}
              </ul>
              <button type="button" onClick={clear} className="mt-2 rounded-md border border-bad/40 px-2 py-1 text-xs font-medium hover:bg-bad/10">
                Clear the filters
              </button>
            </>
          ) : (
            <>Could not load runs: {list.error.message}</>
          )}
        </div>
      )}
      {shown && shown.total === 0 ? (
        <EmptyState icon={Activity} title={anyFilter ? "No runs match these filters" : "No runs yet"}>
          {anyFilter ? (
            <>Widen the filters or clear them to see every run.</>
          ) : (
            <>
              Call a program (POST /api/v1/programs/&lt;name&gt;/predict with an API key, or its playground under Programs). Each run appears here
              live with its span tree and every LM call&apos;s exact messages, tokens, cost and latency.
            </>
          )}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-card">
          <table className="w-full min-w-[880px] text-sm" data-testid="runs-table" aria-busy={list.isFetching}>
            <thead className="border-b border-border text-left text-xs text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Program</th>
                <th className="px-3 py-2 font-medium">Source</th>
                <th className="px-3 py-2 font-medium">API key</th>
                <th className="px-3 py-2 font-medium">Started</th>
                <th className="px-3 py-2 text-right font-medium">Latency</th>
                <th className="px-3 py-2 text-right font-medium">Tokens in / out</th>
                <th className="px-3 py-2 text-right font-medium">Cost</th>
                <th className="px-3 py-2 font-medium">Error</th>
              </tr>
            </thead>
            <tbody>
              {!data &&
                Array.from({ length: 5 }, (_, i) => (
                  <tr key={i} className="border-b border-border last:border-0">
                    <td colSpan={9} className="px-3 py-2.5">
                      <div className="h-4 animate-pulse rounded bg-subtle" />
                    </td>
                  </tr>
                ))}
              {shown?.items.map((r) => (
                <tr
                  key={r.id}
                  data-testid="run-row"
                  data-run-id={r.id}
                  data-status={r.status}
                  className={`border-b border-border transition-colors last:border-0 hover:bg-subtle ${Date.parse(r.startedAt) > openedAt ? "bg-accent/5" : ""}`}
                >
                  <td className="px-3 py-2">
                    <Link href={`/runs/${r.id}`} className="rounded outline-offset-2" aria-label={`Open the trace of run ${r.id.slice(0, 8)}`}>
                      <StatusBadge status={r.status} />
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Link href={`/runs/${r.id}`} className="font-medium hover:underline">
                      {r.program?.name ?? "(deleted program)"}
                    </Link>
                    {r.version && r.version.number > 0 && <span className="ml-1.5 text-xs text-muted">v{r.version.number}</span>}
                  </td>
                  <td className="px-3 py-2 text-muted">{r.source}</td>
                  <td className="px-3 py-2 text-muted">{r.apiKey ? r.apiKey.name : "—"}</td>
                  <td className="px-3 py-2 whitespace-nowrap tabular-nums" title={r.startedAt}>
                    {formatTime(r.startedAt)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMs(r.latencyMs)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="run-cost">
                    {r.priceUnknown ? (
                      r.costUsd > 0 ? (
                        <>
                          {formatUsd(r.costUsd)} + <PriceUnknown />
                        </>
                      ) : (
                        <PriceUnknown />
                      )
                    ) : (
                      formatUsd(r.costUsd)
                    )}
                  </td>
                  <td className="max-w-64 truncate px-3 py-2 text-bad" title={r.error ?? undefined}>
                    {r.error ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > 0 && (
        <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
          <label className="flex items-center gap-2 text-muted">
            Rows per page
            <select className="h-8 rounded-md border border-border bg-card px-2" value={limit} onChange={(e) => setPage(1, Number(e.target.value))}>
              {(pageSizes.includes(limit as (typeof pageSizes)[number]) ? pageSizes : [limit, ...pageSizes]).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <div className="flex items-center gap-2">
            <button
              type="button"
              onClick={() => setPage(page - 1)}
              disabled={page <= 1}
              className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 hover:bg-subtle disabled:opacity-50"
            >
              <ChevronLeft aria-hidden className="size-4" /> Previous
            </button>
            <span data-testid="runs-page" className="tabular-nums text-muted">
              Page {data.page} of {pages}
            </span>
            <button
              type="button"
              onClick={() => setPage(page + 1)}
              disabled={page >= pages}
              className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 hover:bg-subtle disabled:opacity-50"
            >
              Next <ChevronRight aria-hidden className="size-4" />
            </button>
          </div>
        </nav>
      )}
    </div>
  );
}
