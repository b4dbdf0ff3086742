"use client";
// One experiment: per version the mean score with its interval, errors, cost and latency, and
// better/worse/same against the baseline; per example the input, the expected output and each
// version's output and score side by side, rows where the versions differ highlighted (and
// filterable), each cell linking to its run's trace.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import type { ExperimentCell, ExperimentDetail } from "@/lib/schemas";
import { Card, CardHeader, btn } from "@/components/ui";
import { usd } from "@/components/costs/format";
import { scoreText, valueText } from "./format";

function Summary({ e }: { e: ExperimentDetail }) {
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4" data-testid="experiment-summary">
      {e.versions.map((v, i) => (
        <Card key={v.versionId} className="p-4" data-testid="experiment-version" data-version={v.number}>
          <p className="text-xs text-muted">{i === 0 ? "baseline" : `vs baseline: ${v.better} better · ${v.worse} worse · ${v.same} same`}</p>
          <p className="mt-1 text-lg font-semibold">v{v.number}</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="experiment-mean">
            {scoreText(v.mean)}
          </p>
          <p className="text-xs text-muted tabular-nums">
            95% {v.ci95 ? `${v.ci95[0].toFixed(3)}–${v.ci95[1].toFixed(3)}` : "–"} · {v.examples} examples · {v.errors} errors
          </p>
          <p className="text-xs text-muted tabular-nums">
            {usd(v.costUsd)} · p50 {v.latencyP50Ms ?? "–"} ms · p95 {v.latencyP95Ms ?? "–"} ms
          </p>
        </Card>
      ))}
    </div>
  );
}

function Cell({ cell, baseline }: { cell: ExperimentCell | null; baseline: ExperimentCell | null }) {
  if (!cell) return <td className="px-3 py-2 align-top text-xs text-muted">not run yet</td>;
  const delta = baseline && cell !== baseline ? (cell.score ?? 0) - (baseline.score ?? 0) : 0;
  const tone = delta > 1e-9 ? "text-ok" : delta < -1e-9 ? "text-bad" : "";
  return (
    <td className="px-3 py-2 align-top" data-testid="experiment-cell">
      <p className="font-mono text-xs break-words whitespace-pre-wrap">{cell.error ? <span className="text-bad">{cell.error}</span> : valueText(cell.output)}</p>
      <p className={`mt-1 text-xs tabular-nums ${tone}`}>
        score {scoreText(cell.score)}
        {delta !== 0 && ` (${delta > 0 ? "+" : ""}${delta.toFixed(3)})`}
        {cell.runId && (
          <>
            {" · "}
            <Link className="underline" href={`/runs/${cell.runId}`}>
              trace
            </Link>
          </>
        )}
      </p>
    </td>
  );
}

export function ExperimentView({ id }: { id: string }) {
  const detail = useQuery({ queryKey: ["experiments", "detail", id], queryFn: ({ signal }) => callApi(routes.getExperiment, { params: { id }, signal }) });
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  if (detail.error) return <p role="alert" className="text-sm text-bad">Could not load the experiment: {detail.error.message}</p>;
  const e = detail.data;
  if (!e) return <p className="text-sm text-muted">Loading the experiment…</p>;
  const rows = onlyDiffs ? e.rows.filter((r) => r.differs) : e.rows;
  const differing = e.rows.filter((r) => r.differs).length;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted" data-testid="experiment-status" data-status={e.status}>
        {e.programName} on {e.datasetName} v{e.datasetVersion} ({e.split}, {e.examples} examples) · {e.status}
        {e.error ? `: ${e.error}` : ""}
      </p>
      <Summary e={e} />
      <Card>
        <CardHeader
          title={`${differing} of ${e.rows.length} examples differ`}
          description="Rows where the versions' outputs or scores differ are highlighted; scores are compared with the baseline."
          action={
            <button type="button" className={btn} aria-pressed={onlyDiffs} onClick={() => setOnlyDiffs((v) => !v)}>
              {onlyDiffs ? "Show all examples" : "Only differences"}
            </button>
          }
        />
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="experiment-rows">
            <thead className="text-left text-xs text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">#</th>
                <th className="px-3 py-2 font-medium">Input</th>
                <th className="px-3 py-2 font-medium">Expected</th>
                {e.versions.map((v, i) => (
                  <th key={v.versionId} className="px-3 py-2 font-medium">
                    v{v.number}
                    {i === 0 ? " (baseline)" : ""}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.exampleId} data-testid="experiment-row" data-differs={r.differs} className={`border-t border-border ${r.differs ? "bg-warn/10" : ""}`}>
                  <td className="px-3 py-2 align-top text-xs text-muted tabular-nums">{r.position + 1}</td>
                  <td className="max-w-xs px-3 py-2 align-top font-mono text-xs break-words">{valueText(r.input)}</td>
                  <td className="max-w-xs px-3 py-2 align-top font-mono text-xs break-words">{valueText(r.expected)}</td>
                  {r.cells.map((c, i) => (
                    <Cell key={e.versions[i]!.versionId} cell={c} baseline={r.cells[0] ?? null} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
