"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CostSummary } from "@/lib/schemas";
import { usd } from "./format";

const COLORS = ["#6366f1", "#f59e0b", "#10b981", "#ec4899", "#0ea5e9", "#94a3b8"];

/** Spend per day (UTC), stacked by model. */
export function DailyChart({ summary }: { summary: CostSummary }) {
  const data = summary.daily.map((d) => ({ day: d.day.slice(5), ...d.byModel }));
  return (
    <div className="h-64 w-full" data-testid="daily-cost-chart" data-days={data.length}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "var(--muted)" }} stroke="var(--border)" minTickGap={12} />
          <YAxis tickFormatter={(v: number) => usd(v)} tick={{ fontSize: 11, fill: "var(--muted)" }} stroke="var(--border)" width={72} />
          <Tooltip formatter={(v) => usd(Number(v))} contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }} cursor={{ fill: "var(--subtle)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {summary.models.map((m, i) => (
            <Bar key={m} dataKey={m} stackId="usd" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
