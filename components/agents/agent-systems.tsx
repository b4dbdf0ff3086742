"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Boxes, ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { formatCount, useEventRefetch } from "@/components/runs";
import { Card, CardBody, CardHeader, EmptyState, LocalTime } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { type AgentSystemSummary } from "@/lib/schemas";
import { AgentStateBadge } from "./agent-state-badge";
import { DemoTeamExplainer, RunDemoTeamButton } from "./run-demo-team";
import { btn, systemHref } from "./ui";
import { Can } from "@/components/shell/user-menu";

const LIMIT = 10;
const STATE_ORDER = ["busy", "waiting", "restarting", "idle", "stopped"];

function SystemRow({ system }: { system: AgentSystemSummary }) {
  const states = Object.entries(system.states).sort(([a], [b]) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b));
  return (
    <li data-testid="agent-system-row" data-system-id={system.systemId} className="border-b border-border last:border-0">
      <Link href={systemHref(system.systemId)} className="grid gap-2 px-4 py-3 hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center">
        <div className="min-w-0">
          <p className="truncate font-medium">{system.systemId}</p>
          <p className="mt-0.5 text-xs text-muted">
            {system.agents} agent{system.agents === 1 ? "" : "s"} · {formatCount(system.processed)} processed · {system.restarts} restart{system.restarts === 1 ? "" : "s"} · mailbox{" "}
            {system.mailboxDepth} · updated <LocalTime iso={system.lastUpdate} style="time" />
            {system.job && <> · job {system.job.status}</>}
          </p>
        </div>
        <div className="flex flex-wrap gap-1.5">
          {states.map(([state, n]) => (
            <span key={state} className="inline-flex items-center gap-1 text-xs text-muted">
              <AgentStateBadge state={state} />×{n}
            </span>
          ))}
        </div>
      </Link>
    </li>
  );
}

/** The agent systems of the Agent table, live, and the demo team's launcher. */
export function AgentSystems() {
  const [page, setPage] = useState(1);
  const queryClient = useQueryClient();
  const key = ["agents", "systems", { page, limit: LIMIT }] as const;
  const { data, isPending, isError, error } = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => callApi(routes.listAgentSystems, { query: { page, limit: LIMIT }, signal }),
    placeholderData: keepPreviousData,
  });
  const refetch = useEventRefetch(() => void queryClient.invalidateQueries({ queryKey: ["agents", "systems"] }), 1000);
  useRoom("agents");
  useServerEvent("agent:state", (e) => {
    if (e.systemId) refetch();
  });
  const { connectionEpoch } = useRealtime();
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch !== firstEpoch.current) void queryClient.invalidateQueries({ queryKey: ["agents", "systems"] });
  }, [connectionEpoch, queryClient]);

  const pages = data ? Math.max(1, Math.ceil(data.total / LIMIT)) : 1;
  return (
    <Card data-testid="agent-systems">
      <CardHeader title="Agent systems" description="Agents grouped by system: states, messages processed, restarts and mailbox depth, updated live" action={
          <Can scope="optimize">
            <RunDemoTeamButton />
          </Can>
        } />
      <div className="border-b border-border px-4 py-3">
        <DemoTeamExplainer />
      </div>
      {isPending ? (
        <CardBody>
          <p className="text-sm text-muted">Loading agent systems…</p>
        </CardBody>
      ) : isError ? (
        <CardBody>
          <p className="text-sm text-bad">Could not load the agent systems: {error.message}</p>
        </CardBody>
      ) : data.items.length === 0 ? (
        <CardBody>
          <EmptyState icon={Boxes} title="No agent systems yet">
            Run the demo team above to watch a coder and a reviewer work live, or start an agent system from a program (<code>program.toAgentSystem()</code>).
          </EmptyState>
        </CardBody>
      ) : (
        <>
          <ul>
            {data.items.map((s) => (
              <SystemRow key={s.systemId} system={s} />
            ))}
          </ul>
          {pages > 1 && (
            <div className="flex items-center justify-end gap-2 border-t border-border px-4 py-2 text-xs text-muted">
              <span>
                Page {page} of {pages} ({formatCount(data.total)} systems)
              </span>
              <button type="button" className={btn} aria-label="Previous page" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                <ChevronLeft aria-hidden className="size-4" />
              </button>
              <button type="button" className={btn} aria-label="Next page" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                <ChevronRight aria-hidden className="size-4" />
              </button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
