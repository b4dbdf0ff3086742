"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Search } from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { formatCount, formatMs, formatTime, formatUsd, StatusBadge } from "@/components/runs";
import { EmptyState } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { AddToDataset } from "./add-to-dataset";
import { SavedViews } from "./saved-views";
import { useSearchState, type SearchFields } from "./use-search-params-state";
import { Can } from "@/components/shell/user-menu";

const INPUT = "h-8 w-full rounded-md border border-border bg-card px-2 text-sm focus-visible:outline-2";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex min-w-0 flex-col gap-1 text-xs text-muted">
      {label}
      {children}
    </label>
  );
}

/** The search form: edits a draft, applied to the URL (and so to the results) on submit. */
function SearchForm({ fields, programs, errors, onSearch }: { fields: SearchFields; programs: readonly string[]; errors: Readonly<Record<string, string>>; onSearch: (f: SearchFields) => void }) {
  const [draft, setDraft] = useState(fields);
  const [shownFor, setShownFor] = useState(fields);
  if (shownFor !== fields) {
    setShownFor(fields);
    setDraft(fields);
  }
  const set = (k: keyof SearchFields) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  return (
    <form
      role="search"
      aria-label="Search runs"
      className="mb-3 grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(draft);
      }}
    >
      <div className="col-span-2 md:col-span-4 xl:col-span-2">
        <Field label="Words in inputs, outputs or errors">
          <input aria-label="Search text" className={INPUT} value={draft.q ?? ""} onChange={set("q")} placeholder="refund order" />
        </Field>
      </div>
      <Field label="Program">
        <select aria-label="Program" className={INPUT} value={draft.programName ?? ""} onChange={set("programName")}>
          <option value="">All programs</option>
          {programs.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Status">
        <select aria-label="Status" className={INPUT} value={draft.status ?? ""} onChange={set("status")}>
          <option value="">Any status</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
          <option value="running">running</option>
        </select>
      </Field>
      <Field label="Tags (all of, comma-separated)">
        <input aria-label="Tags" className={INPUT} value={draft.tags ?? ""} onChange={set("tags")} placeholder="billing,vip" />
      </Field>
      <Field label="User id">
        <input aria-label="User id" className={INPUT} value={draft.userId ?? ""} onChange={set("userId")} />
      </Field>
      <Field label="Session id">
        <input aria-label="Session id" className={INPUT} value={draft.sessionId ?? ""} onChange={set("sessionId")} />
      </Field>
      <div className="col-span-2 flex items-center gap-2 md:col-span-4 xl:col-span-7">
        <button type="submit" className="inline-flex h-8 items-center gap-1.5 rounded-md bg-accent px-3 text-sm font-medium text-accent-fg">
          <Search aria-hidden className="size-4" /> Search
        </button>
        {Object.entries(errors).map(([k, m]) => (
          <span key={k} role="alert" className="text-sm text-bad">
            {k} {m}
          </span>
        ))}
      </div>
    </form>
  );
}

function Preview({ text }: { text: string | null }) {
  return (
    <span className="line-clamp-2 font-mono text-xs break-all" title={text ?? undefined}>
      {text ?? "—"}
    </span>
  );
}

export function TraceSearch({ programs }: { programs: readonly string[] }) {
  const { fields, page, query, setFields, setPage } = useSearchState();
  const list = useQuery({
    queryKey: ["trace-search", "list", query],
    queryFn: ({ signal }) => callApi(routes.searchRuns, { query, signal }),
    placeholderData: keepPreviousData,
  });
  const [adding, setAdding] = useState<string | null>(null);
  const errors = list.error instanceof ApiError ? list.error.fields : {};
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  return (
    <div>
      <SearchForm fields={fields} programs={programs} errors={errors} onSearch={setFields} />
      <SavedViews fields={fields} onOpen={setFields} />
      <p className="mb-2 text-xs text-muted" data-testid="search-total">
        {data ? `${formatCount(data.total)} matching run${data.total === 1 ? "" : "s"}` : "Searching…"}
      </p>
      {list.error && !Object.keys(errors).length && (
        <p role="alert" className="mb-3 rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad">
          Could not search: {list.error.message}
        </p>
      )}
      {data && data.total === 0 ? (
        <EmptyState icon={Search} title="No runs match">
          Fewer words or filters find more. Words match as prefixes in the values of inputs, outputs and errors (not in field names).
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-card">
          <table className="w-full min-w-[1000px] text-sm" data-testid="search-table" aria-busy={list.isFetching}>
            <thead className="border-b border-border text-left text-xs text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Program</th>
                <th className="px-3 py-2 font-medium">Started</th>
                <th className="w-1/4 px-3 py-2 font-medium">Input</th>
                <th className="w-1/4 px-3 py-2 font-medium">Output</th>
                <th className="px-3 py-2 font-medium">Tags</th>
                <th className="px-3 py-2 font-medium">User / session</th>
                <th className="px-3 py-2 text-right font-medium">Latency</th>
                <th className="px-3 py-2 text-right font-medium">Cost</th>
                <th className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data?.items.map((r) => (
                <tr key={r.id} data-testid="search-row" data-run-id={r.id} className="border-b border-border align-top last:border-0 hover:bg-subtle">
                  <td className="px-3 py-2">
                    <Link href={`/runs/${r.id}`} aria-label={`Open the trace of run ${r.id.slice(0, 8)}`}>
                      <StatusBadge status={r.status} />
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <Link href={`/runs/${r.id}`} className="font-medium hover:underline">
                      {r.program?.name ?? "(no program)"}
                    </Link>
                    {r.version && <span className="ml-1.5 text-xs text-muted">v{r.version.number}</span>}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap tabular-nums" title={r.startedAt}>
                    {formatTime(r.startedAt)}
                  </td>
                  <td className="px-3 py-2">
                    <Preview text={r.inputPreview} />
                  </td>
                  <td className="px-3 py-2">{r.status === "error" ? <span className="text-xs text-bad">{r.error}</span> : <Preview text={r.outputPreview} />}</td>
                  <td className="px-3 py-2">
                    <span className="flex flex-wrap gap-1">
                      {r.tags.map((t) => (
                        <button key={t} type="button" onClick={() => setFields({ ...fields, tags: t })} className="rounded bg-subtle px-1.5 py-0.5 text-xs hover:underline">
                          {t}
                        </button>
                      ))}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-xs text-muted">
                    {r.userId ?? "—"}
                    <br />
                    {r.sessionId ?? "—"}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMs(r.latencyMs)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatUsd(r.costUsd)}</td>
                  <td className="px-3 py-2">
                    <Can scope="manage">
                      {adding === r.id ? (
                        <AddToDataset runId={r.id} />
                      ) : (
                        <button type="button" onClick={() => setAdding(r.id)} className="h-7 rounded-md border border-border px-2 text-xs whitespace-nowrap hover:bg-subtle">
                          To dataset…
                        </button>
                      )}
                    </Can>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > data.limit && (
        <nav aria-label="Pages" className="mt-3 flex items-center justify-end gap-2 text-sm">
          <button type="button" onClick={() => setPage(page - 1)} disabled={page <= 1} className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 hover:bg-subtle disabled:opacity-50">
            <ChevronLeft aria-hidden className="size-4" /> Previous
          </button>
          <span className="tabular-nums text-muted">
            Page {data.page} of {pages}
          </span>
          <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages} className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-2 hover:bg-subtle disabled:opacity-50">
            Next <ChevronRight aria-hidden className="size-4" />
          </button>
        </nav>
      )}
    </div>
  );
}
