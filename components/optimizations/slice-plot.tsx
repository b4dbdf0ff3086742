"use client";
// Optuna's slice plot: for each variable that changed, every analysed trial as a dot at its value
// (x) and its score (y), so one sees where along a variable the good scores lie. Full evaluations
// only once there are three (minibatch scores are too noisy to compare), like the other charts.
import { analysedTrials, axisPosition, parallelAxes, valueLabel, type TrialPoint } from "./trial-math";

const W = 220;
const H = 150;
const PAD = { top: 10, bottom: 30, left: 36, right: 10 };
const CHAR_PX = 6;

const cut = (text: string, px: number) => {
  const max = Math.max(3, Math.floor(px / CHAR_PX));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

export function SlicePlot({ trials }: { trials: readonly TrialPoint[] }) {
  const scored = analysedTrials(trials) as (TrialPoint & { score: number })[];
  const axes = parallelAxes(scored);
  if (scored.length < 2 || axes.length === 0) {
    return <p className="flex h-40 items-center justify-center text-sm text-muted">Slices appear once trials try different values.</p>;
  }
  const scores = scored.map((t) => t.score);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const y = (s: number) => H - PAD.bottom - (hi === lo ? 0.5 : (s - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const x = (p: number) => PAD.left + p * (W - PAD.left - PAD.right);
  const full = scored.every((t) => t.evaluation === "full");
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 2xl:grid-cols-3" data-testid="slice-plot" data-variables={axes.length} data-points={scored.length}>
      {axes.map((axis) => {
        const ends = axis.kind === "numeric" ? [valueLabel(axis.min), valueLabel(axis.max)] : [axis.labels[0] ?? "", axis.labels[axis.labels.length - 1] ?? ""];
        return (
          <figure key={axis.name} className="min-w-0">
            <figcaption className="truncate font-mono text-xs" title={axis.name}>
              {axis.name}
            </figcaption>
            <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-[330px]" role="img" aria-label={`Score by ${axis.name} over ${scored.length} trials`}>
              <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} stroke="var(--border)" />
              <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--border)" />
              <text x={PAD.left - 4} y={y(hi) + 4} textAnchor="end" fontSize={10} fill="var(--muted)">
                {hi.toFixed(2)}
              </text>
              <text x={PAD.left - 4} y={y(lo)} textAnchor="end" fontSize={10} fill="var(--muted)">
                {lo.toFixed(2)}
              </text>
              <text x={PAD.left} y={H - PAD.bottom + 14} fontSize={10} fill="var(--muted)">
                {cut(ends[0]!, (W - PAD.left - PAD.right) / 2 - 4)}
              </text>
              <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" fontSize={10} fill="var(--muted)">
                {cut(ends[1]!, (W - PAD.left - PAD.right) / 2 - 4)}
              </text>
              {scored.map((t) => (
                <circle key={t.number} cx={x(axisPosition(axis, t.config[axis.name]))} cy={y(t.score)} r={3.5} fill="var(--accent)" fillOpacity={0.35 + 0.6 * (t.number / Math.max(1, scored[scored.length - 1]!.number))}>
                  <title>{`trial ${t.number}: ${axis.name} = ${valueLabel(t.config[axis.name])}, score ${t.score.toFixed(3)}`}</title>
                </circle>
              ))}
            </svg>
          </figure>
        );
      })}
      <p className="col-span-full text-xs text-muted">{full ? "Full evaluations" : "All scored trials (fewer than three full evaluations)"}; later trials darker.</p>
    </div>
  );
}
