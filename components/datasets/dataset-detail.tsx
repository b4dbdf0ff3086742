"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, CardHeader, Stat } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { ExampleSplitSchema, type DatasetVersionWire } from "@/lib/schemas";
import { ExamplesTable } from "./examples-table";
import { ImportDialog } from "./import-dialog";
import { Pager } from "./pager";
import { SplitChart } from "./split-chart";
import { SplitDialog } from "./split-dialog";
import { useUrlState } from "./url-state";
import { Can } from "@/components/shell/user-menu";

const VERSIONS_LIMIT = 20;
const SPLITS = ["all", ...ExampleSplitSchema.options] as const;

/** A dataset's versions (newest first), the split counts per version, and the chosen version's examples. */
export function DatasetDetail({ name }: { name: string }) {
  const [params, set] = useUrlState();
  const vpage = Math.max(1, Number(params.get("vpage") ?? 1) || 1);
  const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const splitParam = ExampleSplitSchema.safeParse(params.get("split"));
  const split = splitParam.success ? splitParam.data : undefined;
  const versions = useQuery({
    queryKey: ["datasets", "versions", name, vpage],
    queryFn: ({ signal }) => callApi(routes.listDatasetVersions, { params: { name }, query: { page: vpage, limit: VERSIONS_LIMIT }, signal }),
    placeholderData: keepPreviousData,
  });
  const items = versions.data?.items ?? [];
  const selected: DatasetVersionWire | undefined = items.find((v) => v.id === params.get("version")) ?? items[0];

  if (versions.error) return <p className="text-sm text-bad">Could not load the versions: {versions.error.message}</p>;
  if (versions.isPending) return <p className="text-sm text-muted" aria-busy>Loading versions…</p>;
  if (!selected) {
    return (
      <Card className="p-6 text-sm text-muted">
        <p className="mb-3">This dataset has no versions yet: import a JSONL or CSV file to add its first one.</p>
        <Can scope="manage">
          <ImportDialog defaultName={name} />
        </Can>
      </Card>
    );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-[280px_minmax(0,1fr)]">
      <Card className="h-fit overflow-hidden">
        <CardHeader title="Versions" description="Newest first; versions never change." action={
            <Can scope="manage">
              <ImportDialog defaultName={name} />
            </Can>
          } />
        <ul data-testid="versions-list">
          {items.map((v) => (
            <li key={v.id} className="border-b border-border last:border-b-0">
              <button
                type="button"
                onClick={() => set({ version: v.id, page: undefined })}
                aria-current={v.id === selected.id ? "true" : undefined}
                className={`w-full px-4 py-2.5 text-left text-sm hover:bg-subtle ${v.id === selected.id ? "bg-subtle" : ""}`}
              >
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium">v{v.number}</span>
                  <span className="text-xs tabular-nums text-muted">{v.exampleCount} examples</span>
                </div>
                <div className="truncate text-xs text-muted" title={v.message}>{v.message || new Date(v.createdAt).toLocaleString()}</div>
              </button>
            </li>
          ))}
        </ul>
        {versions.data && versions.data.total > VERSIONS_LIMIT && <Pager page={vpage} limit={VERSIONS_LIMIT} total={versions.data.total} onPage={(p) => set({ vpage: p })} label="versions" />}
      </Card>
      <div className="min-w-0 space-y-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Stat label="Examples" value={selected.exampleCount.toLocaleString()} hint={`v${selected.number}`} testId="version-examples" />
          <Stat label="Train" value={selected.splits.train} />
          <Stat label="Validation" value={selected.splits.validation} />
          <Stat label="Test" value={selected.splits.test} />
        </div>
        <Card>
          <CardHeader title="Examples per split" description="Each version on this page of the list" />
          <div className="p-3"><SplitChart versions={items} /></div>
        </Card>
        <Card className="overflow-hidden">
          <CardHeader
            title={`Examples of v${selected.number}`}
            description={selected.message}
            action={
              <Can scope="manage">
                <SplitDialog version={selected} onCreated={(v) => set({ version: v.id, page: undefined, split: undefined, vpage: undefined })} />
              </Can>
            }
          />
          <div className="flex flex-wrap gap-1 border-b border-border px-3 py-2" role="group" aria-label="Filter by split">
            {SPLITS.map((s) => {
              const active = (s === "all" && !split) || s === split;
              return (
                <button key={s} type="button" aria-pressed={active} onClick={() => set({ split: s === "all" ? undefined : s, page: undefined })} className={`rounded-md px-2.5 py-1 text-xs ${active ? "bg-accent text-accent-fg" : "hover:bg-subtle"}`}>
                  {s}
                </button>
              );
            })}
          </div>
          <ExamplesTable datasetName={name} versionId={selected.id} split={split} page={page} onPage={(p) => set({ page: p })} />
        </Card>
      </div>
    </div>
  );
}
