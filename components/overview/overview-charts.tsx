"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { OverviewMinute } from "@/lib/schemas";
import { formatMs } from "@/components/runs";

const minute = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const TOOLTIP = { background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 } as const;
const AXIS = { stroke: "var(--muted)", fontSize: 11 } as const;

function points(series: readonly OverviewMinute[]) {
  return series.map((p) => ({ t: Date.parse(p.t), ok: p.runs - p.errors, errors: p.errors, p50: p.p50Ms, p95: p.p95Ms }));
}

/** Runs started per minute over the last hour, failures stacked in red. */
export function ThroughputChart({ series }: { series: readonly OverviewMinute[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={points(series)} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="t" type="category" tickFormatter={minute} {...AXIS} interval={14} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip labelFormatter={(t) => minute(Number(t))} contentStyle={TOOLTIP} cursor={{ fill: "var(--subtle)" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="ok" name="Succeeded" stackId="r" fill="var(--accent)" isAnimationActive={false} />
        <Bar dataKey="errors" name="Failed" stackId="r" fill="var(--bad)" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Latency p50 and p95 of each minute's runs. */
export function LatencyChart({ series }: { series: readonly OverviewMinute[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={points(series)} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="t" type="category" tickFormatter={minute} {...AXIS} interval={14} />
        <YAxis tickFormatter={(v: number) => formatMs(v)} {...AXIS} width={56} />
        <Tooltip labelFormatter={(t) => minute(Number(t))} formatter={(v) => formatMs(Number(v))} contentStyle={TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line dataKey="p50" name="p50" stroke="var(--accent)" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
        <Line dataKey="p95" name="p95" stroke="var(--warn)" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
