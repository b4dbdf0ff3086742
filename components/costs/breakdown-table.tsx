import type { CostRowWire } from "@/lib/schemas";
import { Card, CardHeader } from "@/components/ui";
import { compact, usd } from "./format";

const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-muted";

/** One grouping of the spend (by model, program or API key) with a share bar per row. */
export function BreakdownTable({ title, rows, testId }: { title: string; rows: readonly CostRowWire[]; testId: string }) {
  const total = rows.reduce((s, r) => s + r.costUsd, 0);
  return (
    <Card className="overflow-hidden">
      <CardHeader title={title} />
      {rows.length === 0 ? (
        <p className="p-4 text-sm text-muted">No LM calls in this range.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid={testId}>
            <thead className="bg-subtle">
              <tr>
                <th className={th}>Name</th>
                <th className={`${th} text-right`}>Cost</th>
                <th className={`${th} text-right`}>Calls</th>
                <th className={`${th} hidden text-right sm:table-cell lg:hidden 2xl:table-cell`}>Tokens in / out</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key ?? "(none)"} className="border-t border-border">
                  <td className="px-3 py-2">
                    <div className="truncate">{r.label}</div>
                    <div className="mt-1 h-1 rounded bg-subtle" aria-hidden>
                      <div className="h-1 rounded bg-accent" style={{ width: `${total > 0 ? (r.costUsd / total) * 100 : 0}%` }} />
                    </div>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{usd(r.costUsd)}</td>
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
