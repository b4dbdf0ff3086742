"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { parameterImportance, type TrialPoint } from "./trial-math";

/** Parameter importance, computed in the browser from the trials (see parameterImportance). */
export function ImportanceChart({ trials }: { trials: readonly TrialPoint[] }) {
  const data = parameterImportance(trials).map((d) => ({ ...d, percent: Math.round(d.importance * 100) }));
  if (data.length === 0) return <p className="flex h-40 items-center justify-center text-sm text-muted">Needs at least three scored trials that vary a variable.</p>;
  return (
    <div style={{ height: 40 + data.length * 32 }} data-testid="importance-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <XAxis type="number" domain={[0, 100]} unit="%" stroke="var(--muted)" fontSize={11} />
          <YAxis type="category" dataKey="name" width={110} stroke="var(--muted)" fontSize={11} />
          <Tooltip contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }} formatter={(v) => `${String(v)}% of the score's variance`} />
          <Bar dataKey="percent" name="importance" fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
