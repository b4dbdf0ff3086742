"use client";

import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { fmtScore, fmtUsd } from "./format";
import { analysedTrials, paretoFront, type TrialPoint } from "./trial-math";

/** Cost (x) against quality (y) of every scored trial; the Pareto front joined by a line. */
export function ParetoChart({ trials }: { trials: readonly TrialPoint[] }) {
  const points = analysedTrials(trials).map((t) => ({ number: t.number, score: t.score!, costUsd: t.costUsd }));
  const front = paretoFront(points);
  return (
    <div className="h-64" data-testid="pareto-chart" data-points={points.length} data-front={front.length}>
      {points.length === 0 ? (
        <p className="flex h-full items-center justify-center text-sm text-muted">Scored trials appear here by cost and quality.</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="costUsd" type="number" name="cost" stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => fmtUsd(v)} domain={["auto", "auto"]} />
            <YAxis dataKey="score" type="number" name="score" stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => v.toFixed(2)} domain={[0, "auto"]} />
            <Tooltip
              contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }}
              formatter={(v, name) => (name === "cost" ? fmtUsd(Number(v)) : fmtScore(Number(v)))}
            />
            <Scatter name="trials" data={points} fill="var(--muted)" fillOpacity={0.6} isAnimationActive={false} />
            <Scatter name="Pareto front" data={front} fill="var(--ok)" line={{ stroke: "var(--ok)" }} isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
