"use client";

import { axisPosition, parallelAxes, valueLabel, type Axis, type TrialPoint } from "./trial-math";

const H = 300;
const PAD = { top: 40, bottom: 28, left: 16, right: 72 };
const MAX_LINES = 400;
/** Axes stand at least this far apart; more axes make the plot wider (it then scrolls sideways). */
const MIN_GAP = 120;
const MIN_WIDTH = 600;
/** Rough width of one character of the 11-12 px labels, to cut labels before they reach the next axis. */
const CHAR_PX = 6.6;
/** Categorical labels at least this far apart vertically; in between, every k-th value is labelled. */
const LABEL_ROW_PX = 14;

/** `text` cut with an ellipsis to fit `px` pixels. */
export function fitLabel(text: string, px: number): string {
  const max = Math.max(3, Math.floor(px / CHAR_PX));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Which categorical values get a label: every k-th so that labels stay LABEL_ROW_PX apart (the last always). */
export function labelledIndices(count: number, heightPx: number): number[] {
  if (count <= 1) return count === 1 ? [0] : [];
  const step = Math.max(1, Math.ceil((LABEL_ROW_PX * (count - 1)) / heightPx));
  const out: number[] = [];
  for (let i = 0; i < count; i += step) out.push(i);
  if (out[out.length - 1] !== count - 1) {
    // The last value replaces the one before it when they would touch.
    if ((count - 1 - out[out.length - 1]!) * (heightPx / (count - 1)) < LABEL_ROW_PX) out.pop();
    out.push(count - 1);
  }
  return out;
}

// Labels are drawn over the lines with a halo in the card's colour, so lines never cross their text.
const halo = { stroke: "var(--card)", strokeWidth: 3, paintOrder: "stroke" as const, strokeLinejoin: "round" as const };

/**
 * One vertical axis per variable that changed (numbers scaled min to max; categorical values each
 * at their own position) and the score last; one line per scored trial, brighter when better.
 * Axis names alternate between two rows and every label is cut to the room it has (whole in its
 * tooltip), so no two labels overlap however many axes or values there are.
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
  const W = Math.max(MIN_WIDTH, PAD.left + PAD.right + (all.length - 1) * MIN_GAP);
  const gap = (W - PAD.left - PAD.right) / (all.length - 1);
  const x = (i: number) => PAD.left + i * gap;
  const y = (p: number) => H - PAD.bottom - p * (H - PAD.top - PAD.bottom);
  const best = Math.max(...scores);
  // Names alternate rows, so each may use two gaps; values sit right of their axis, within one gap.
  const nameRoom = (i: number) => (i === 0 || i === all.length - 1 ? gap : 2 * gap) - 8;
  const valueRoom = (i: number) => (i === all.length - 1 ? PAD.right : gap) - 10;
  return (
    <div className="overflow-x-auto">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        style={{ minWidth: W > MIN_WIDTH ? W : undefined }}
        className="h-auto w-full"
        role="img"
        aria-label={`Parallel coordinates of ${axes.length} variables over ${scored.length} trials`}
        data-testid="parallel-coordinates"
        data-axes={all.length}
      >
        {scored.map((t) => {
          const d = all.map((a, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(axisPosition(a, a === scoreAxis ? t.score : t.config[a.name])).toFixed(1)}`).join(" ");
          const quality = scoreAxis.kind === "numeric" && scoreAxis.max > scoreAxis.min ? (t.score! - scoreAxis.min) / (scoreAxis.max - scoreAxis.min) : 1;
          return <path key={t.number} d={d} fill="none" stroke={t.score === best ? "var(--ok)" : "var(--accent)"} strokeOpacity={0.15 + 0.7 * quality} strokeWidth={t.score === best ? 2 : 1} />;
        })}
        {all.map((a, i) => {
          const anchor = i === 0 ? "start" : i === all.length - 1 ? "end" : "middle";
          const shown = a.kind === "categorical" ? labelledIndices(a.keys.length, H - PAD.top - PAD.bottom) : [];
          return (
            <g key={a.name} data-testid="pc-axis">
              <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke="var(--muted)" />
              <text x={x(i)} y={i % 2 === 0 ? 14 : 28} textAnchor={anchor} fontSize={12} fill="var(--fg)" {...halo} data-testid="pc-label">
                <title>{a.name}</title>
                {fitLabel(a.name, nameRoom(i))}
              </text>
              {a.kind === "numeric" ? (
                <>
                  <text x={x(i) + 4} y={y(0)} fontSize={11} fill="var(--muted)" {...halo} data-testid="pc-label">
                    {fitLabel(valueLabel(a.min), valueRoom(i))}
                  </text>
                  <text x={x(i) + 4} y={y(1) + 8} fontSize={11} fill="var(--muted)" {...halo} data-testid="pc-label">
                    {fitLabel(valueLabel(a.max), valueRoom(i))}
                  </text>
                </>
              ) : (
                shown.map((j) => (
                  <text key={a.keys[j]} x={x(i) + 4} y={y(a.keys.length === 1 ? 0.5 : j / (a.keys.length - 1)) + 4} fontSize={11} fill="var(--muted)" {...halo} data-testid="pc-label">
                    <title>{a.labels[j]}</title>
                    {fitLabel(a.labels[j]!, valueRoom(i))}
                  </text>
                ))
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
