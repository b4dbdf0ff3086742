"use client";

import { Boxes, ChevronLeft, ChevronRight, Search } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Card, EmptyState } from "@/components/ui";
import { percent, timeAgo } from "./format";
import { ProgramLoadErrors } from "./load-errors";
import { programKeys, useProgramList } from "./queries";
import { badge, btn, input } from "./ui";
import { useLiveRefresh } from "./use-live-refresh";

export function ProgramsTable() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const search = params.get("search") ?? "";
  const [draft, setDraft] = useState(search);
  const query = { page, search };
  const { data, isPending, error } = useProgramList(query);
  useLiveRefresh("runs", programKeys.all);

  const go = useCallback(
    (next: { page?: number; search?: string }) => {
      const sp = new URLSearchParams(params);
      const s = next.search ?? search;
      const p = next.page ?? page;
      if (s) sp.set("search", s);
      else sp.delete("search");
      if (p > 1) sp.set("page", String(p));
      else sp.delete("page");
      router.replace(`${pathname}${sp.size ? `?${sp}` : ""}`);
    },
    [params, search, page, pathname, router],
  );

  // Debounced: a new keystroke restarts the timer; `go` changes only with the URL.
  useEffect(() => {
    if (draft === search) return;
    const t = setTimeout(() => go({ search: draft.trim(), page: 1 }), 300);
    return () => clearTimeout(t);
  }, [draft, search, go]);

  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  return (
    <div className="space-y-3">
      <label className="relative block max-w-xs">
        <span className="sr-only">Search programs</span>
        <Search aria-hidden className="pointer-events-none absolute left-2.5 top-2 size-4 text-muted" />
        <input className={`${input} pl-8`} placeholder="Search by name" value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      {error && <p className="text-sm text-bad">Could not load programs: {error.message}</p>}
      {data && <ProgramLoadErrors errors={data.loadErrors} />}
      {isPending ? (
        <Card className="p-6 text-sm text-muted">Loading programs…</Card>
      ) : data && data.items.length === 0 ? (
        <EmptyState icon={Boxes} title={search ? `No program matches "${search}"` : "No programs yet"}>
          {search ? (
            "Try another part of the name."
          ) : (
            <>
              Put a program in <code className="font-mono">programs/&lt;name&gt;.ts</code> (see programs/README.md) (it loads without a restart): it is listed here
              with its versions, variables and a playground.
            </>
          )}
        </EmptyState>
      ) : (
        data && (
          <Card className="overflow-x-auto">
            <table className="w-full min-w-[720px] text-sm" data-testid="programs-table">
              <thead className="border-b border-border text-left text-xs uppercase tracking-wide text-muted">
                <tr>
                  <th className="px-4 py-2 font-medium">Program</th>
                  <th className="px-4 py-2 font-medium">Active version</th>
                  <th className="px-4 py-2 text-right font-medium">Versions</th>
                  <th className="px-4 py-2 text-right font-medium">Runs (24 h)</th>
                  <th className="px-4 py-2 text-right font-medium">Error rate</th>
                  <th className="px-4 py-2 font-medium">Last run</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.id} className="border-b border-border last:border-0 hover:bg-subtle" data-testid={`program-row-${p.name}`}>
                    <td className="px-4 py-2.5">
                      <Link href={`/programs/${encodeURIComponent(p.name)}`} className="font-medium text-accent hover:underline">
                        {p.name}
                      </Link>
                      {!p.served && <span className={`${badge} ml-2 bg-subtle text-muted`}>not loaded</span>}
                      {p.description && <div className="max-w-md truncate text-xs text-muted">{p.description}</div>}
                    </td>
                    <td className="px-4 py-2.5 tabular-nums">{p.activeVersion ? `v${p.activeVersion.number}` : <span className="text-muted">none</span>}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{p.versionCount}</td>
                    <td className="px-4 py-2.5 text-right tabular-nums">{p.stats.runs}</td>
                    <td className={`px-4 py-2.5 text-right tabular-nums ${p.stats.errorRate ? (p.stats.errorRate > 0.1 ? "text-bad" : "text-warn") : ""}`}>{percent(p.stats.errorRate)}</td>
                    <td className="px-4 py-2.5 text-muted" title={p.stats.lastRunAt ?? undefined}>
                      {timeAgo(p.stats.lastRunAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )
      )}
      {data && pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          <button type="button" className={btn} disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
            <ChevronLeft aria-hidden className="size-4" /> Previous
          </button>
          <span className="tabular-nums text-muted">
            Page {page} of {pages}
          </span>
          <button type="button" className={btn} disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
            Next <ChevronRight aria-hidden className="size-4" />
          </button>
        </nav>
      )}
    </div>
  );
}
