"use client";

import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { fmtScore } from "./format";
import { scoreSeries, type TrialPoint } from "./trial-math";

/** Score per trial (dots; hollow for minibatches) and the best-so-far line; grows as trials arrive. */
export function ScoreChart({ trials, baseline }: { trials: readonly TrialPoint[]; baseline: number | null }) {
  const series = scoreSeries(trials);
  const full = series.filter((p) => p.evaluation === "full");
  const mini = series.filter((p) => p.evaluation === "minibatch");
  return (
    <div className="h-64" data-testid="score-chart" data-points={series.length} role="img" aria-label={`Score of ${series.length} trials with the best so far`}>
      {series.length === 0 ? (
        <p className="flex h-full items-center justify-center text-sm text-muted">Each finished trial appears here as a dot.</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={series} margin={{ top: 8, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="number" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} stroke="var(--muted)" fontSize={11} />
            <YAxis type="number" domain={[0, "auto"]} stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => v.toFixed(2)} />
            <Tooltip
              contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }}
              formatter={(v) => fmtScore(typeof v === "number" ? v : null)}
              labelFormatter={(n) => `trial ${String(n)}`}
            />
            {baseline !== null && <ReferenceLine y={baseline} stroke="var(--muted)" strokeDasharray="4 4" label={{ value: "baseline", fill: "var(--muted)", fontSize: 10, position: "insideBottomRight" }} />}
            <Line dataKey="best" name="best so far" type="stepAfter" stroke="var(--ok)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            <Scatter data={full} dataKey="score" name="full evaluation" fill="var(--accent)" isAnimationActive={false} />
            <Scatter data={mini} dataKey="score" name="minibatch" fill="var(--card)" stroke="var(--accent)" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
