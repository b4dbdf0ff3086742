"use client";
// Optuna's contour plot: the score over two variables chosen by the reader, interpolated between
// the trials (coloured cells, low to high) with each trial as a dot; categorical values sit at
// their own positions along an axis.
import { useState } from "react";
import { ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import { contourGrid } from "./study-math";
import { parallelAxes, valueLabel, type Axis, type TrialPoint } from "./trial-math";

const SIZE = 12;

/** Low scores dark blue, high scores yellow (a perceptually ordered scale, viridis-like). */
function colourOf(t: number): string {
  const clamped = Math.max(0, Math.min(1, t));
  return `hsl(${250 - 190 * clamped} 70% ${30 + 30 * clamped}%)`;
}

const endLabel = (axis: Axis, at: 0 | 1) => (axis.kind === "numeric" ? valueLabel(at === 0 ? axis.min : axis.max) : (at === 0 ? axis.labels[0] : axis.labels[axis.labels.length - 1]) ?? "");

export function ContourPlot({ trials }: { trials: readonly TrialPoint[] }) {
  const axes = parallelAxes(trials.filter((t) => t.score !== null && t.status === "complete"));
  const [xName, setX] = useState<string | undefined>(undefined);
  const [yName, setY] = useState<string | undefined>(undefined);
  if (axes.length < 2) return <p className="flex h-40 items-center justify-center text-sm text-muted">The contour appears once trials vary at least two variables.</p>;
  const xAxis = axes.find((a) => a.name === xName) ?? axes[0]!;
  const yAxis = axes.find((a) => a.name === yName && a.name !== xAxis.name) ?? axes.find((a) => a.name !== xAxis.name)!;
  const { points, cells } = contourGrid(trials, xAxis, yAxis, SIZE);
  const scores = cells.map((c) => c.score);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const select = "h-8 rounded-md border border-border bg-bg px-2 text-xs";
  return (
    <div data-testid="contour-plot" data-x={xAxis.name} data-y={yAxis.name} data-points={points.length}>
      <div className="mb-2 flex flex-wrap gap-3 text-xs text-muted">
        <label className="flex items-center gap-1.5">
          x
          <select className={select} value={xAxis.name} onChange={(e) => setX(e.target.value)} aria-label="Contour x variable">
            {axes.map((a) => (
              <option key={a.name}>{a.name}</option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1.5">
          y
          <select className={select} value={yAxis.name} onChange={(e) => setY(e.target.value)} aria-label="Contour y variable">
            {axes
              .filter((a) => a.name !== xAxis.name)
              .map((a) => (
                <option key={a.name}>{a.name}</option>
              ))}
          </select>
        </label>
        <span className="flex items-center gap-1.5">
          score {lo.toFixed(2)}
          <span aria-hidden className="inline-block h-2 w-20 rounded" style={{ background: `linear-gradient(to right, ${colourOf(0)}, ${colourOf(0.5)}, ${colourOf(1)})` }} />
          {hi.toFixed(2)}
        </span>
      </div>
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 8, left: -12 }}>
            <XAxis dataKey="x" type="number" domain={[0, 1]} allowDataOverflow ticks={[0, 1]} stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => endLabel(xAxis, v === 0 ? 0 : 1)} />
            <YAxis dataKey="y" type="number" domain={[0, 1]} allowDataOverflow ticks={[0, 1]} stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => endLabel(yAxis, v === 0 ? 0 : 1)} />
            <ZAxis range={[20, 20]} />
            <Tooltip
              cursor={false}
              contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }}
              formatter={(v, name) => (name === "score" ? Number(v).toFixed(3) : Number(v).toFixed(2))}
            />
            {cells.map((c) => (
              <ReferenceArea
                key={`${c.x}:${c.y}`}
                x1={c.x - 0.5 / SIZE}
                x2={c.x + 0.5 / SIZE}
                y1={c.y - 0.5 / SIZE}
                y2={c.y + 0.5 / SIZE}
                fill={colourOf(hi === lo ? 0.5 : (c.score - lo) / (hi - lo))}
                fillOpacity={0.8}
                stroke="none"
                ifOverflow="visible"
              />
            ))}
            <Scatter name="trials" data={points} fill="var(--fg)" stroke="var(--card)" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
