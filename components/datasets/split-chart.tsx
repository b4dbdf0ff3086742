"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DatasetVersionWire } from "@/lib/schemas";

export const SPLIT_COLORS = { train: "#6366f1", validation: "#f59e0b", test: "#10b981" } as const;

/** Examples per split of each version (oldest left), stacked. */
export function SplitChart({ versions }: { versions: readonly DatasetVersionWire[] }) {
  const data = [...versions].reverse().map((v) => ({ version: `v${v.number}`, ...v.splits }));
  return (
    <div className="h-48 w-full" data-testid="split-chart" data-versions={data.length}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="version" tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "var(--muted)" }} stroke="var(--border)" />
          <Tooltip contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }} cursor={{ fill: "var(--subtle)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {(Object.keys(SPLIT_COLORS) as (keyof typeof SPLIT_COLORS)[]).map((s) => (
            <Bar key={s} dataKey={s} stackId="n" fill={SPLIT_COLORS[s]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
