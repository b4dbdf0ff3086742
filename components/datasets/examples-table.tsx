"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { callApi, routes } from "@/lib/api/client";
import { type ExampleSplit } from "@/lib/schemas";
import { Pager } from "./pager";
import { SPLIT_COLORS } from "./split-chart";
import { td, th } from "./styles";

const LIMIT = 25;

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One version's examples, server-paged, optionally of one split. */
export function ExamplesTable({ datasetName, versionId, split, page, onPage }: { datasetName: string; versionId: string; split: ExampleSplit | undefined; page: number; onPage: (p: number) => void }) {
  const { data, isPending, error } = useQuery({
    queryKey: ["datasets", "examples", versionId, { page, split }],
    queryFn: ({ signal }) => callApi(routes.listDatasetExamples, { params: { name: datasetName, versionId }, query: { page, limit: LIMIT, split }, signal }),
    placeholderData: keepPreviousData,
  });
  if (error) return <p className="p-3 text-sm text-bad">Could not load examples: {error.message}</p>;
  if (isPending || !data) return <p className="p-3 text-sm text-muted" aria-busy>Loading examples…</p>;
  if (data.total === 0) return <p className="p-3 text-sm text-muted">No {split ?? ""} examples in this version.</p>;
  const inputKeys = [...new Set(data.items.flatMap((e) => Object.keys(e.inputs)))];
  const outputKeys = [...new Set(data.items.flatMap((e) => Object.keys(e.outputs)))];
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="examples-table">
          <thead className="bg-subtle">
            <tr>
              <th className={th}>#</th>
              <th className={th}>Split</th>
              {inputKeys.map((k) => <th key={`i-${k}`} className={th}>{k}</th>)}
              {outputKeys.map((k) => <th key={`o-${k}`} className={th}>→ {k}</th>)}
            </tr>
          </thead>
          <tbody>
            {data.items.map((e) => (
              <tr key={e.id} className="border-t border-border">
                <td className={`${td} tabular-nums text-muted`}>{e.position + 1}</td>
                <td className={td}>
                  <span className="inline-flex items-center gap-1.5 text-xs">
                    <span className="size-2 rounded-full" style={{ background: SPLIT_COLORS[e.split] }} aria-hidden />
                    {e.split}
                  </span>
                </td>
                {inputKeys.map((k) => <td key={`i-${k}`} className={`${td} max-w-xs truncate`} title={show(e.inputs[k])}>{e.inputs[k] === undefined ? "" : show(e.inputs[k])}</td>)}
                {outputKeys.map((k) => <td key={`o-${k}`} className={`${td} max-w-xs truncate`} title={show(e.outputs[k])}>{e.outputs[k] === undefined ? "" : show(e.outputs[k])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={data.page} limit={data.limit} total={data.total} onPage={onPage} label="examples" />
    </>
  );
}
