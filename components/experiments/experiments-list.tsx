"use client";
// Experiments, newest first, with each version's mean score; refreshed when one starts or ends.
import { useQuery } from "@tanstack/react-query";
import { FlaskConical } from "lucide-react";
import Link from "next/link";
import { callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import { Card, CardHeader, EmptyState, LocalTime } from "@/components/ui";
import { scoreText } from "./format";

export function ExperimentsList() {
  const list = useQuery({ queryKey: ["experiments", "list"], queryFn: ({ signal }) => callApi(routes.listExperiments, { query: { limit: 50 }, signal }) });
  if (list.error) return <p role="alert" className="text-sm text-bad">Could not load the experiments: {list.error.message}</p>;
  if (!list.data) return <p className="text-sm text-muted">Loading experiments…</p>;
  if (list.data.items.length === 0)
    return (
      <EmptyState icon={FlaskConical} title="No experiments yet">
        Compare versions of a program on a dataset with the form above, or POST /api/v1/experiments.
      </EmptyState>
    );
  return (
    <Card>
      <CardHeader title="Experiments" description={`${list.data.total} in all`} />
      <table className="w-full text-sm" data-testid="experiments-table">
        <thead className="text-left text-xs text-muted">
          <tr>
            <th className="px-4 py-2 font-medium">Started</th>
            <th className="px-4 py-2 font-medium">Program</th>
            <th className="px-4 py-2 font-medium">Dataset</th>
            <th className="px-4 py-2 font-medium">Status</th>
            <th className="px-4 py-2 font-medium">Mean score by version</th>
          </tr>
        </thead>
        <tbody>
          {list.data.items.map((e) => (
            <tr key={e.id} className="border-t border-border">
              <td className="px-4 py-2">
                <Link className="underline" href={`/experiments/${e.id}`}>
                  <LocalTime iso={e.createdAt} />
                </Link>
              </td>
              <td className="px-4 py-2">{e.programName}</td>
              <td className="px-4 py-2">
                {e.datasetName} v{e.datasetVersion} · {e.split} · {e.examples}
              </td>
              <td className="px-4 py-2">{e.status}</td>
              <td className="px-4 py-2 tabular-nums">{e.versions.map((v) => `v${v.number} ${scoreText(v.mean)}`).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
