"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { formatCount, formatMs, formatPercent, formatUsd, useEventRefetch } from "@/components/runs";
import { Card, CardBody, CardHeader, Stat } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { type OverviewMetrics as Metrics } from "@/lib/schemas";
import { LatencyChart, ThroughputChart } from "./overview-charts";
import { OptimizationsCard } from "./optimizations-card";
import { SpendCard } from "./spend-card";

const KEY = ["overview", "metrics"] as const;
/** At most one refetch this often while events arrive (each is a few indexed SQL sums). */
const REFRESH_MS = 1500;

/** Reads the overview numbers again when events say they changed (throttled); never on a timer. */
function useLiveOverview(initial: Metrics): Metrics {
  const queryClient = useQueryClient();
  const { data = initial } = useQuery({ queryKey: KEY, queryFn: ({ signal }) => callApi(routes.getOverviewMetrics, { signal }), initialData: initial });
  useRoom("runs");
  useRoom("costs");
  useRoom("optimizations");
  useRoom("agents");
  const refresh = useEventRefetch(() => void queryClient.invalidateQueries({ queryKey: KEY, exact: true }), REFRESH_MS);
  useServerEvent("run:started", refresh);
  useServerEvent("run:finished", refresh);
  useServerEvent("lmcall:recorded", refresh);
  useServerEvent("optimization:status", refresh);
  useServerEvent("budget:status", refresh);
  useServerEvent("supervisor:child", refresh);
  useServerEvent("agent:state", refresh);
  const { connectionEpoch } = useRealtime();
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch !== firstEpoch.current) refresh();
  }, [connectionEpoch, refresh]);
  return data;
}

export function OverviewMetrics({ initial }: { initial: Metrics }) {
  const m = useLiveOverview(initial);
  const r = m.runs;
  const s = m.supervision;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat label="Throughput" value={`${r.perMinute.toFixed(r.perMinute < 10 ? 2 : 0)}/min`} hint={`last 5 min; ${formatCount(r.total)} runs in the last hour`} testId="overview-throughput" />
        <Stat label="Error rate" value={formatPercent(r.errorRate)} hint={`${formatCount(r.errors)} failed${r.running ? `, ${r.running} running` : ""}`} testId="overview-error-rate" />
        <Stat label="Latency p50" value={formatMs(r.p50Ms)} hint={`p95 ${formatMs(r.p95Ms)}`} testId="overview-latency" />
        <Stat label="Spend today" value={formatUsd(m.spend.todayUsd)} hint={`${formatCount(m.spend.todayCalls)} LM calls${m.spend.todayUnpricedCalls > 0 ? `, ${formatCount(m.spend.todayUnpricedCalls)} at an unknown price` : ""}`} testId="overview-spend" />
        <Stat label="Optimizing" value={m.optimizations.length} hint={m.optimizations.length ? "running or queued" : "none running"} testId="overview-optimizing" />
        <Stat
          label="Supervised"
          value={s.available ? `${s.running}/${s.children}` : "—"}
          hint={`${s.supervisors} supervisor${s.supervisors === 1 ? "" : "s"}, ${m.agents.active} active agent${m.agents.active === 1 ? "" : "s"}`}
          testId="overview-supervision"
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title="Runs per minute" description="Last hour, failures in red" action={<Link href="/runs" className="text-xs text-accent hover:underline">Runs</Link>} />
          <CardBody className="h-56" data-testid="throughput-chart" data-total={r.total}>
            <ThroughputChart series={m.series} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Latency" description="p50 and p95 of each minute's runs" />
          <CardBody className="h-56" data-testid="latency-chart">
            <LatencyChart series={m.series} />
          </CardBody>
        </Card>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <SpendCard spend={m.spend} />
        <OptimizationsCard items={m.optimizations} />
      </div>
    </div>
  );
}
