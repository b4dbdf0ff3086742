import Link from "next/link";
import { PriceUnknown } from "@/components/costs";
import { formatCount, formatUsd } from "@/components/runs";
import { Card, CardBody, CardHeader } from "@/components/ui";
import type { OverviewMetrics } from "@/lib/schemas";
import { ProgressBar } from "./progress-bar";

const PERIOD = { day: "today", month: "this month", total: "all time" } as const;

export function SpendCard({ spend }: { spend: OverviewMetrics["spend"] }) {
  return (
    <Card>
      <CardHeader title="Spend today" description="UTC day, from every LM call" action={<Link href="/costs" className="text-xs text-accent hover:underline">Costs</Link>} />
      <CardBody className="space-y-4">
        <div>
          <div className="text-2xl font-semibold tabular-nums" data-testid="overview-spend-today">
            {formatUsd(spend.todayUsd)}
            {spend.todayUnpricedCalls > 0 && (
              <span className="ml-2 text-sm font-normal">
                + <PriceUnknown calls={spend.todayUnpricedCalls} />
              </span>
            )}
          </div>
          <div className="text-xs text-muted">{formatCount(spend.todayCalls)} LM calls today</div>
        </div>
        {spend.budgets.length === 0 ? (
          <p className="text-sm text-muted">
            No budgets yet. <Link href="/costs" className="text-accent hover:underline">Set a daily budget</Link> to stop spending before a limit.
          </p>
        ) : (
          <ul className="space-y-3" data-testid="overview-budgets">
            {spend.budgets.map((b) => (
              <li key={b.id} className="space-y-1 text-sm">
                <div className="flex justify-between gap-2">
                  <span className="truncate">
                    {b.label} <span className="text-xs text-muted">{PERIOD[b.period]}</span>
                  </span>
                  <span className={`shrink-0 tabular-nums ${b.exhausted ? "text-bad" : ""}`}>
                    {formatUsd(b.spentUsd)} / {formatUsd(b.limitUsd)}
                  </span>
                </div>
                <ProgressBar value={b.limitUsd > 0 ? b.spentUsd / b.limitUsd : 1} label={`${b.label} budget used`} />
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
