"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { fmtInt, fmtScore, fmtUsd } from "./format";
import { fetchAllTrials, fetchDetail } from "./live-data";
import { scoreSeries } from "./trial-math";
import { StatusBadge } from "./status-badge";

const COLORS = ["var(--accent)", "var(--ok)", "var(--warn)", "var(--bad)", "#0ea5e9", "#a855f7"];

/** Best-so-far curves of several optimizations on one chart, and their final numbers. */
export function CompareView({ ids }: { ids: readonly string[] }) {
  const runs = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["optimizations", "compare", id],
      queryFn: async () => ({ detail: await fetchDetail(id), trials: await fetchAllTrials(id) }),
    })),
  });
  if (ids.length === 0) {
    return <p className="text-sm text-muted">Tick two or more optimizations on the <Link href="/optimizations" className="text-accent underline">list</Link> and press Compare.</p>;
  }
  const loaded = runs.flatMap((r, i) => (r.data ? [{ ...r.data, color: COLORS[i % COLORS.length]!, label: `${r.data.detail.program.name} · ${r.data.detail.optimizer} · ${r.data.detail.id.slice(0, 6)}` }] : []));
  const failed = runs.flatMap((r, i) => (r.error ? [`${ids[i]}: ${r.error.message}`] : []));
  // One row per trial number; each run's column holds its best-so-far at that trial.
  const rows = new Map<number, Record<string, number>>();
  for (const run of loaded) {
    for (const p of scoreSeries(run.trials)) if (p.best !== null) rows.set(p.number, { ...(rows.get(p.number) ?? { number: p.number }), [run.detail.id]: p.best });
  }
  const data = [...rows.values()].sort((a, b) => a.number! - b.number!);
  return (
    <div className="space-y-4">
      {failed.map((f) => (
        <p key={f} role="alert" className="text-sm text-bad">{f}</p>
      ))}
      <Card>
        <CardHeader title="Best so far by trial" description="Best full-evaluation score reached by each trial number" />
        <CardBody className="h-72" data-testid="compare-chart" data-series={loaded.length}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="number" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} stroke="var(--muted)" fontSize={11} />
              <YAxis stroke="var(--muted)" fontSize={11} domain={[0, "auto"]} tickFormatter={(v: number) => v.toFixed(2)} />
              <Tooltip contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }} formatter={(v) => fmtScore(Number(v))} labelFormatter={(n) => `trial ${String(n)}`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {loaded.map((run) => (
                <Line key={run.detail.id} dataKey={run.detail.id} name={run.label} type="stepAfter" stroke={run.color} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Final numbers" />
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="compare-table">
            <thead className="text-left text-xs text-muted">
              <tr className="border-b border-border">
                {["Optimization", "Status", "Trials", "Baseline", "Best", "Gain", "Spend", "LM calls", "Time"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {loaded.map(({ detail: o, color, label }) => (
                <tr key={o.id} className="border-b border-border last:border-0">
                  <td className="px-3 py-2">
                    <span aria-hidden className="mr-2 inline-block size-2 rounded-full" style={{ background: color }} />
                    <Link href={`/optimizations/${o.id}`} className="hover:underline">{label}</Link>
                  </td>
                  <td className="px-3 py-2"><StatusBadge status={o.status} /></td>
                  <td className="px-3 py-2 tabular-nums">{o.trialCount}</td>
                  <td className="px-3 py-2 tabular-nums">{fmtScore(o.baselineScore)}</td>
                  <td className="px-3 py-2 tabular-nums">{fmtScore(o.bestScore)}</td>
                  <td className="px-3 py-2 tabular-nums">{o.bestScore !== null && o.baselineScore !== null ? (o.bestScore - o.baselineScore).toFixed(3) : "—"}</td>
                  <td className="px-3 py-2 tabular-nums">{fmtUsd(o.spent.usd)}</td>
                  <td className="px-3 py-2 tabular-nums">{fmtInt(o.spent.lmCalls)}</td>
                  <td className="px-3 py-2 tabular-nums">{o.spent.seconds.toFixed(0)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
