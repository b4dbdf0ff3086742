"use client";
// Optuna's empirical distribution function plot: for each score, the share of trials scoring at
// most that much. A curve further right is a better study; full evaluations and minibatches apart.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { trialDistributions } from "./study-math";
import type { TrialPoint } from "./trial-math";

export function EdfChart({ trials }: { trials: readonly TrialPoint[] }) {
  const { full, minibatch } = trialDistributions(trials);
  const count = full.length + minibatch.length;
  return (
    <div className="h-64" data-testid="edf-chart" data-full={full.length} data-minibatch={minibatch.length}>
      {count === 0 ? (
        <p className="flex h-full items-center justify-center text-sm text-muted">The distribution of scores appears once trials are scored.</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="score" type="number" name="score" stroke="var(--muted)" fontSize={11} domain={["auto", "auto"]} tickFormatter={(v: number) => v.toFixed(2)} allowDuplicatedCategory={false} />
            <YAxis dataKey="share" type="number" stroke="var(--muted)" fontSize={11} domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
            <Tooltip contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }} formatter={(v) => `${Math.round(Number(v) * 100)}% of trials`} labelFormatter={(v) => `score ≤ ${Number(v).toFixed(3)}`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {full.length > 0 && <Line data={full} dataKey="share" name="full evaluations" type="stepAfter" stroke="var(--accent)" dot={false} isAnimationActive={false} />}
            {minibatch.length > 0 && <Line data={minibatch} dataKey="share" name="minibatches" type="stepAfter" stroke="var(--muted)" strokeDasharray="4 3" dot={false} isAnimationActive={false} />}
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
