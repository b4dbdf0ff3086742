"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesPoint } from "./agent-series";

const COLORS = ["var(--accent)", "var(--warn)", "var(--ok)", "var(--bad)", "#8b5cf6", "#06b6d4"];
const TOOLTIP = { background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 } as const;
const AXIS = { stroke: "var(--muted)", fontSize: 11 } as const;
const clock = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function SeriesChart({ testId, points, labels, step, unit }: { testId: string; points: readonly SeriesPoint[]; labels: readonly string[]; step?: boolean; unit: string }) {
  if (points.length === 0) return <p className="flex h-full items-center justify-center text-sm text-muted">No samples yet: they appear as the agents report.</p>;
  return (
    <div className="h-full" data-testid={testId} data-points={points.length}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points as SeriesPoint[]} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={clock} {...AXIS} minTickGap={40} />
          <YAxis allowDecimals={!step} {...AXIS} width={48} />
          <Tooltip labelFormatter={(t) => clock(Number(t))} formatter={(v) => `${Number(v).toFixed(step ? 0 : 2)} ${unit}`} contentStyle={TOOLTIP} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {labels.map((label, i) => (
            <Line key={label} dataKey={label} name={label} type={step ? "stepAfter" : "monotone"} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Messages waiting in each agent's mailbox over time. */
export function MailboxChart({ points, labels }: { points: readonly SeriesPoint[]; labels: readonly string[] }) {
  return <SeriesChart testId="mailbox-chart" points={points} labels={labels} step unit="messages" />;
}

/** Messages processed per second by each agent. */
export function ThroughputChart({ points, labels }: { points: readonly SeriesPoint[]; labels: readonly string[] }) {
  return <SeriesChart testId="throughput-chart" points={points} labels={labels} unit="msg/s" />;
}
