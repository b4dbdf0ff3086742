import { fmtInt, fmtSeconds, fmtUsd } from "./format";
import type { OptimizationDetail } from "./live-data";

function Meter({ label, used, limit, format, testId }: { label: string; used: number; limit: number | null; format: (v: number) => string; testId: string }) {
  const share = limit ? Math.min(1, used / limit) : null;
  return (
    <div data-testid={testId}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="text-muted">{label}</span>
        <span className="tabular-nums">
          {format(used)}
          {limit !== null && <span className="text-muted"> / {format(limit)}</span>}
        </span>
      </div>
      <div className="mt-1 h-2 overflow-hidden rounded-full bg-subtle" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={share === null ? undefined : Math.round(share * 100)}>
        {share !== null && <div className={`h-full rounded-full ${share >= 1 ? "bg-warn" : "bg-accent"}`} style={{ width: `${share * 100}%` }} />}
      </div>
      {limit === null && <div className="mt-0.5 text-xs text-muted">no limit</div>}
    </div>
  );
}

/** Spend so far against each budget of the run. */
export function BudgetProgress({ o }: { o: OptimizationDetail }) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Meter label="Spend" used={o.spent.usd} limit={o.budget.usd} format={fmtUsd} testId="budget-usd" />
      <Meter label="LM calls" used={o.spent.lmCalls} limit={o.budget.lmCalls} format={fmtInt} testId="budget-lm-calls" />
      <Meter label="Time" used={o.spent.seconds} limit={o.budget.seconds} format={fmtSeconds} testId="budget-seconds" />
    </div>
  );
}
