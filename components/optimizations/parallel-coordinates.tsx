"use client";

import { axisPosition, parallelAxes, valueLabel, type Axis, type TrialPoint } from "./trial-math";

const W = 600;
const H = 300;
const PAD = { top: 24, bottom: 28, left: 40, right: 56 };
const MAX_LINES = 400;

/**
 * One vertical axis per variable that changed (numbers scaled min to max; categorical values each
 * at their own position) and the score last; one line per scored trial, brighter when better.
 */
export function ParallelCoordinates({ trials }: { trials: readonly TrialPoint[] }) {
  const scored = trials.filter((t) => t.score !== null && t.status === "complete").slice(-MAX_LINES);
  const axes = parallelAxes(scored);
  if (scored.length < 2 || axes.length === 0) {
    return <p className="flex h-40 items-center justify-center text-sm text-muted">Lines appear once trials try different values.</p>;
  }
  const scores = scored.map((t) => t.score!);
  const scoreAxis: Axis = { kind: "numeric", name: "score", min: Math.min(...scores), max: Math.max(...scores) };
  const all = [...axes, scoreAxis];
  const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / (all.length - 1);
  const y = (p: number) => H - PAD.bottom - p * (H - PAD.top - PAD.bottom);
  const best = Math.max(...scores);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Parallel coordinates of ${axes.length} variables over ${scored.length} trials`} data-testid="parallel-coordinates" data-axes={all.length}>
      {scored.map((t) => {
        const d = all.map((a, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(axisPosition(a, a === scoreAxis ? t.score : t.config[a.name])).toFixed(1)}`).join(" ");
        const quality = scoreAxis.kind === "numeric" && scoreAxis.max > scoreAxis.min ? (t.score! - scoreAxis.min) / (scoreAxis.max - scoreAxis.min) : 1;
        return <path key={t.number} d={d} fill="none" stroke={t.score === best ? "var(--ok)" : "var(--accent)"} strokeOpacity={0.15 + 0.7 * quality} strokeWidth={t.score === best ? 2 : 1} />;
      })}
      {all.map((a, i) => (
        <g key={a.name}>
          <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke="var(--muted)" />
          <text x={x(i)} y={PAD.top - 10} textAnchor="middle" fontSize={12} fill="var(--fg)">
            {a.name}
          </text>
          {a.kind === "numeric" ? (
            <>
              <text x={x(i) + 4} y={y(0)} fontSize={11} fill="var(--muted)">{valueLabel(a.min)}</text>
              <text x={x(i) + 4} y={y(1) + 8} fontSize={11} fill="var(--muted)">{valueLabel(a.max)}</text>
            </>
          ) : (
            a.labels.map((label, j) => (
              <text key={a.keys[j]} x={x(i) + 4} y={y(a.keys.length === 1 ? 0.5 : j / (a.keys.length - 1)) + 3} fontSize={11} fill="var(--muted)">
                {label}
              </text>
            ))
          )}
        </g>
      ))}
    </svg>
  );
}
