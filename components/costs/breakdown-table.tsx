import type { CostRowWire } from "@/lib/schemas";
import { Card, CardHeader } from "@/components/ui";
import { compact, usd } from "./format";
import { PriceUnknown } from "./price-unknown";

const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-muted";

/**
 * One grouping of the spend (by model, program or API key) with a share bar per row. The layout is
 * fixed: the number columns keep their width and a long name is cut with an ellipsis (whole in its
 * title), so no column is pushed out of the card.
 */
export function BreakdownTable({ title, rows, testId, showProvider = false }: { title: string; rows: readonly CostRowWire[]; testId: string; showProvider?: boolean }) {
  const total = rows.reduce((s, r) => s + r.costUsd, 0);
  return (
    <Card className="overflow-hidden">
      <CardHeader title={title} />
      {rows.length === 0 ? (
        <p className="p-4 text-sm text-muted">No LM calls in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full table-fixed text-sm" data-testid={testId}>
            <thead className="bg-subtle">
              <tr>
                <th className={th}>Name</th>
                <th className={`${th} w-28 text-right`}>Cost</th>
                <th className={`${th} w-20 text-right`}>Calls</th>
                <th className={`${th} hidden w-36 text-right sm:table-cell lg:hidden 2xl:table-cell`}>Tokens in / out</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.provider ?? ""}\u0000${r.key ?? "(none)"}`} className="border-t border-border" data-testid="cost-row" data-key={r.key ?? ""} data-provider={r.provider ?? ""}>
                  <td className="px-3 py-2">
                    <div className="truncate" title={r.label}>
                      {r.label}
                    </div>
                    {showProvider && r.provider && <div className="truncate text-xs text-muted">{r.provider}</div>}
                    <div className="mt-1 h-1 rounded bg-subtle" aria-hidden>
                      <div className="h-1 rounded bg-accent" style={{ width: `${total > 0 ? (r.costUsd / total) * 100 : 0}%` }} />
                    </div>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="cost-cell">
                    {r.unpricedCalls >= r.calls && r.calls > 0 ? <PriceUnknown calls={r.unpricedCalls} /> : usd(r.costUsd)}
                    {r.unpricedCalls > 0 && r.unpricedCalls < r.calls && (
                      <div>
                        + <PriceUnknown calls={r.unpricedCalls} />
                      </div>
                    )}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{compact(r.calls)}</td>
                  <td className="hidden px-3 py-2 text-right tabular-nums text-muted sm:table-cell lg:hidden 2xl:table-cell">
                    {compact(r.inputTokens)} / {compact(r.outputTokens)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
