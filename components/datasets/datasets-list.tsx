"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Database, Search } from "lucide-react";
import Link from "next/link";
import { Card, EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { Pager } from "./pager";
import { input, td, th } from "./styles";
import { useUrlState } from "./url-state";

const LIMIT = 25;

/** Every dataset (server-paged, searchable by name) with its latest version. */
export function DatasetsList() {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const search = params.get("q") ?? "";
  const query = { page, limit: LIMIT, search };
  const { data, isPending, error } = useQuery({
    queryKey: ["datasets", "list", query],
    queryFn: ({ signal }) => callApi(routes.listDatasets, { query, signal }),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-3">
      <label className="relative block max-w-sm">
        <span className="sr-only">Search datasets by name</span>
        <Search className="pointer-events-none absolute left-2.5 top-2 size-4 text-muted" aria-hidden />
        <input className={`${input} pl-8`} placeholder="Search by name" defaultValue={search} onChange={(e) => set({ q: e.target.value, page: undefined })} />
      </label>
      {error && <p className="text-sm text-bad">Could not load datasets: {error.message}</p>}
      {isPending ? (
        <p className="text-sm text-muted" aria-busy>Loading datasets…</p>
      ) : data && data.total === 0 ? (
        <EmptyState icon={Database} title={search ? `No dataset matches “${search}”` : "No datasets yet"}>
          Import a JSONL or CSV file with the Import button: each row becomes an example with inputs, outputs and a split (train, validation or test).
          Programs are evaluated and optimized on them.
        </EmptyState>
      ) : (
        data && (
          <Card className="overflow-hidden">
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="datasets-table">
                <thead className="bg-subtle">
                  <tr>
                    <th className={th}>Name</th>
                    <th className={th}>Latest version</th>
                    <th className={`${th} text-right`}>Examples</th>
                    <th className={`${th} hidden sm:table-cell`}>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((d) => (
                    <tr key={d.id} className="border-t border-border hover:bg-subtle/60">
                      <td className={td}>
                        <Link href={`/datasets/${encodeURIComponent(d.name)}`} className="font-medium text-accent hover:underline">
                          {d.name}
                        </Link>
                        {d.description && <div className="text-xs text-muted">{d.description}</div>}
                      </td>
                      <td className={td}>{d.latestVersion ? `v${d.latestVersion.number}` : <span className="text-muted">none yet</span>}<span className="text-xs text-muted"> · {d.versionCount} version{d.versionCount === 1 ? "" : "s"}</span></td>
                      <td className={`${td} text-right tabular-nums`}>{d.latestVersion?.exampleCount.toLocaleString() ?? 0}</td>
                      <td className={`${td} hidden text-muted sm:table-cell`}>{new Date(d.createdAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} limit={data.limit} total={data.total} onPage={(p) => set({ page: p })} label="datasets" />
          </Card>
        )
      )}
    </div>
  );
}
