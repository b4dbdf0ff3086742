"use client";
// How many alerts nobody acknowledged, next to "Alerts" in the sidebar; refreshed when any process
// raises or acknowledges one (config:changed "alert" marks the ["alerts"] queries stale).
import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import { useHydrated } from "@/components/ui";

export function AlertsBadge() {
  const hydrated = useHydrated();
  const summary = useQuery({
    queryKey: ["alerts", "summary"],
    queryFn: ({ signal }) => callApi(routes.listAlerts, { query: { status: "open", limit: 1 }, signal }),
    enabled: hydrated,
    staleTime: 60_000,
  });
  const count = summary.data?.unacknowledged ?? 0;
  if (!hydrated || count === 0) return null;
  return (
    <span data-testid="alerts-badge" aria-label={`${count} alerts not acknowledged`} className="ml-auto rounded-full bg-bad px-1.5 py-0.5 text-[10px] leading-none font-semibold text-white tabular-nums">
      {count > 99 ? "99+" : count}
    </span>
  );
}
