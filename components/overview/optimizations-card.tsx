import Link from "next/link";
import { formatUsd } from "@/components/runs";
import { Card, CardBody, CardHeader } from "@/components/ui";
import type { OverviewOptimization } from "@/lib/schemas";
import { ProgressBar } from "./progress-bar";

export function OptimizationsCard({ items }: { items: readonly OverviewOptimization[] }) {
  return (
    <Card>
      <CardHeader title="Running optimizations" description="Progress against each one's budget" action={<Link href="/optimizations" className="text-xs text-accent hover:underline">All</Link>} />
      <CardBody>
        {items.length === 0 ? (
          <p className="text-sm text-muted">
            Nothing is optimizing. <Link href="/optimizations" className="text-accent hover:underline">Launch an optimization</Link> and follow its trials live.
          </p>
        ) : (
          <ul className="space-y-3" data-testid="overview-optimizations">
            {items.map((o) => (
              <li key={o.id} className="space-y-1 text-sm">
                <div className="flex justify-between gap-2">
                  <Link href={`/optimizations/${o.id}`} className="truncate font-medium hover:underline">
                    {o.programName} · {o.optimizer}
                  </Link>
                  <span className="shrink-0 text-xs text-muted">{o.status}</span>
                </div>
                <ProgressBar value={o.progress ?? 0} label={`${o.programName} optimization progress`} />
                <div className="flex justify-between text-xs text-muted tabular-nums">
                  <span>
                    {o.trials} trials{o.bestScore !== null ? ` · best ${o.bestScore.toFixed(3)}` : ""}
                  </span>
                  <span>
                    {formatUsd(o.spentUsd)}
                    {o.budget.usd !== null ? ` of ${formatUsd(o.budget.usd)}` : ""}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}
