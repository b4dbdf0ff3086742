"use client";
// The Alerts page: every alert newest first (or only those nobody acknowledged), what raised it,
// whether the webhook got it, and a button to acknowledge it. The list refreshes when any process
// raises or acknowledges an alert (config:changed "alert").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import type { Alert } from "@/lib/schemas";
import { Card, CardHeader, EmptyState, LocalTime, btn } from "@/components/ui";
import { Can } from "@/components/shell/user-menu";
import { Pager } from "@/components/settings/pager";

const LIMIT = 25;
const SEVERITY = { critical: "border-bad/40 bg-bad/10 text-bad", warning: "border-warn/40 bg-warn/10 text-warn" } as const;
const DELIVERY: Record<Alert["delivery"], string> = { none: "not sent (no webhook)", pending: "sending to the webhook", delivered: "sent to the webhook", failed: "webhook failed" };

function AlertRow({ alert, onAcknowledge, busy }: { alert: Alert; onAcknowledge: () => void; busy: boolean }) {
  return (
    <li data-testid="alert-row" data-kind={alert.kind} data-acknowledged={alert.acknowledgedAt !== null} className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-4 py-3 last:border-b-0">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className={`rounded border px-1.5 py-0.5 text-xs font-medium ${SEVERITY[alert.severity]}`}>{alert.severity}</span>
          <span>{alert.title}</span>
        </p>
        <p className="mt-1 text-sm text-muted">{alert.message}</p>
        <p className="mt-1 text-xs text-muted">
          <LocalTime iso={alert.firedAt} /> · {alert.kind}
          {alert.resolvedAt && (
            <>
              {" "}
              · resolved <LocalTime iso={alert.resolvedAt} />
            </>
          )}{" "}
          · <span data-testid="alert-delivery">{DELIVERY[alert.delivery]}</span>
          {alert.delivery === "failed" && alert.deliveryError ? ` (${alert.deliveryError}, ${alert.deliveryAttempts} attempts)` : ""}
        </p>
      </div>
      {alert.acknowledgedAt ? (
        <span className="text-xs text-muted">
          acknowledged <LocalTime iso={alert.acknowledgedAt} />
        </span>
      ) : (
        <Can scope="manage">
          <button type="button" className={btn} disabled={busy} onClick={onAcknowledge}>
            Acknowledge
          </button>
        </Can>
      )}
    </li>
  );
}

export function AlertsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const status = params.get("status") === "open" ? "open" : "all";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const setUrl = (next: { status?: string; page?: number }) => {
    const q = new URLSearchParams(params.toString());
    if (next.status !== undefined) {
      if (next.status === "all") q.delete("status");
      else q.set("status", next.status);
      q.delete("page");
    }
    if (next.page !== undefined) {
      if (next.page <= 1) q.delete("page");
      else q.set("page", String(next.page));
    }
    const text = q.toString();
    router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
  };
  const query = { status, page, limit: LIMIT } as const;
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ["alerts", "list", query], queryFn: ({ signal }) => callApi(routes.listAlerts, { query, signal }), placeholderData: keepPreviousData });
  const acknowledge = useMutation({
    mutationFn: (id: string) => callApi(routes.acknowledgeAlert, { params: { id }, body: {} }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["alerts"] }),
  });

  const data = list.data;
  return (
    <Card>
      <CardHeader
        title={data ? `${data.unacknowledged} not acknowledged` : "Alerts"}
        description="Budgets at 50/80/100%, error rate and latency above their limits, breakers open, optimizations failed."
        action={
          <div role="group" aria-label="Show" className="flex gap-1">
            {(["all", "open"] as const).map((s) => (
              <button key={s} type="button" aria-pressed={status === s} className={`${btn} aria-pressed:border-accent aria-pressed:text-accent`} onClick={() => setUrl({ status: s })}>
                {s === "all" ? "All" : "Not acknowledged"}
              </button>
            ))}
          </div>
        }
      />
      {list.error ? (
        <p role="alert" className="p-4 text-sm text-bad">
          Could not load the alerts: {list.error.message}
        </p>
      ) : !data ? (
        <p className="p-4 text-sm text-muted">Loading alerts…</p>
      ) : data.items.length === 0 ? (
        <div className="p-4">
          <EmptyState icon={BellOff} title={status === "open" ? "Nothing waiting" : "No alerts yet"}>
            Alerts appear here when a budget reaches a threshold, the error rate or latency goes above its limit, a provider&apos;s breaker opens or an optimization fails.
          </EmptyState>
        </div>
      ) : (
        <>
          {acknowledge.error && (
            <p role="alert" className="px-4 pt-3 text-sm text-bad">
              {acknowledge.error.message}
            </p>
          )}
          <ul data-testid="alerts-list">
            {data.items.map((a) => (
              <AlertRow key={a.id} alert={a} busy={acknowledge.isPending} onAcknowledge={() => acknowledge.mutate(a.id)} />
            ))}
          </ul>
          <Pager page={data.page} limit={data.limit} total={data.total} onPage={(p) => setUrl({ page: p })} />
        </>
      )}
    </Card>
  );
}
