"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Boxes, Power, RotateCw } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useRoom, useServerEvent } from "@/components/realtime";
import { useEventRefetch } from "@/components/runs";
import { Can } from "@/components/shell/user-menu";
import { btn, Card, CardBody, CardHeader, ConfirmDialog, EmptyState } from "@/components/ui";
import { ApiError, callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import type { DeclaredAgentSystem, DeclaredAgentSystemList } from "@/lib/schemas";
import { AgentStateBadge } from "./agent-state-badge";
import { CallAgentSystem } from "./call-agent-system";
import { DECLARED_SYSTEMS_KEY } from "./ui";

const stateClass = (state: string) => (state === "running" ? "text-ok" : state === "stopped" ? "text-muted" : "text-bad");

function useSystemChange(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { kind: "stop" | "restart" } | { kind: "scale"; group: string; count: number }) =>
      change.kind === "scale"
        ? callApi(routes.scaleAgentSystem, { params: { name }, body: { group: change.group, count: change.count } })
        : callApi(change.kind === "stop" ? routes.stopAgentSystem : routes.restartAgentSystem, { params: { name } }),
    onSuccess: (system) => {
      queryClient.setQueryData<DeclaredAgentSystemList>(DECLARED_SYSTEMS_KEY, (list) => list && { ...list, items: list.items.map((s) => (s.name === system.name ? system : s)) });
    },
    onError: (err) => toast.error(`Agent system ${name}: the change failed`, { description: err instanceof ApiError ? err.message : String(err) }),
  });
}

function GroupRow({ system, group, change }: { system: DeclaredAgentSystem; group: DeclaredAgentSystem["groups"][number]; change: ReturnType<typeof useSystemChange> }) {
  const [count, setCount] = useState(String(group.count));
  const wanted = Number(count);
  const valid = count.trim() !== "" && Number.isInteger(wanted) && wanted >= 0 && wanted <= 1000;
  return (
    <tr data-testid="agent-group" data-group={group.name} className="border-b border-border last:border-0">
      <td className="px-4 py-2 font-medium">{group.name}</td>
      <td className="px-4 py-2 text-xs text-muted">{group.capabilities.join(", ")}</td>
      <td className="px-4 py-2 tabular-nums" data-testid="group-count">
        {group.count}
      </td>
      <td className="px-4 py-2">
        <Can scope="manage">
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (valid) change.mutate({ kind: "scale", group: group.name, count: wanted });
            }}
          >
            <input
              type="number"
              min={0}
              max={1000}
              value={count}
              onChange={(e) => setCount(e.target.value)}
              aria-label={`Agents in ${group.name}`}
              className="w-20 rounded-md border border-border bg-bg px-2 py-1 text-sm"
            />
            <button type="submit" className={btn} disabled={!valid || change.isPending || system.state !== "running"}>
              Scale
            </button>
          </form>
        </Can>
      </td>
    </tr>
  );
}

function SystemCard({ system }: { system: DeclaredAgentSystem }) {
  const change = useSystemChange(system.name);
  const [confirmStop, setConfirmStop] = useState(false);
  const running = system.state === "running";
  return (
    <li data-testid="declared-system" data-system={system.name} data-state={system.state} className="space-y-3 border-b border-border px-4 py-4 last:border-0">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium">
            {system.name} <span className={`text-xs font-normal ${stateClass(system.state)}`} data-testid="system-state">{system.state}</span>
          </p>
          {system.description && <p className="mt-0.5 text-sm text-muted">{system.description}</p>}
          <p className="mt-0.5 text-xs text-muted">
            {system.source} · entry <code>{system.entry}</code> · {system.mode === "cluster" ? "placed over the cluster" : "in this process"}
          </p>
        </div>
        <Can scope="manage">
          <div className="flex gap-2">
            <button type="button" className={btn} disabled={!running || change.isPending} onClick={() => setConfirmStop(true)}>
              <Power aria-hidden className="size-4" />
              Stop
            </button>
            <button type="button" className={btn} disabled={change.isPending} onClick={() => change.mutate({ kind: "restart" })}>
              <RotateCw aria-hidden className="size-4" />
              Restart
            </button>
          </div>
        </Can>
      </div>
      <div className="overflow-x-auto rounded-md border border-border">
        <table className="w-full text-sm">
          <thead className="bg-subtle text-left text-xs text-muted">
            <tr>
              <th className="px-4 py-1.5 font-medium">Group</th>
              <th className="px-4 py-1.5 font-medium">Capabilities</th>
              <th className="px-4 py-1.5 font-medium">Agents</th>
              <th className="px-4 py-1.5 font-medium">
                <span className="sr-only">Scale</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {system.groups.map((g) => (
              <GroupRow key={`${g.name}:${g.count}`} system={system} group={g} change={change} />
            ))}
          </tbody>
        </table>
      </div>
      {system.agents.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label={`Agents of ${system.name}`}>
          {system.agents.map((a) => (
            <li key={a.id} data-testid="declared-agent" data-agent={a.id} className="inline-flex items-center gap-1.5 rounded-md border border-border px-2 py-1 text-xs">
              {a.id}
              {a.state && <AgentStateBadge state={a.state} />}
              {a.processed !== null && <span className="text-muted">{a.processed} processed</span>}
              {a.restarts > 0 && <span className="text-bad">{a.restarts} restarts</span>}
              {a.node && <span className="text-muted">on {a.node}</span>}
            </li>
          ))}
        </ul>
      )}
      <Can scope="predict">{running && <CallAgentSystem name={system.name} entry={system.entry} />}</Can>
      <ConfirmDialog
        open={confirmStop}
        onOpenChange={setConfirmStop}
        title={`Stop ${system.name}?`}
        confirmLabel="Stop it"
        busy={change.isPending}
        onConfirm={() => change.mutate({ kind: "stop" }, { onSettled: () => setConfirmStop(false) })}
      >
        Its {system.agents.length} agents stop, and calls are refused until it is restarted. Its group sizes are kept.
      </ConfirmDialog>
    </li>
  );
}

/** The agent systems of the programs folder: state, groups and agents, live; call, scale, stop and restart. */
export function DeclaredSystems({ initial }: { initial: DeclaredAgentSystemList }) {
  const queryClient = useQueryClient();
  const { data = initial } = useQuery({ queryKey: DECLARED_SYSTEMS_KEY, queryFn: ({ signal }) => callApi(routes.listDeclaredAgentSystems, { signal }), initialData: initial });
  const refetch = useEventRefetch(() => void queryClient.invalidateQueries({ queryKey: DECLARED_SYSTEMS_KEY, exact: true }), 1000);
  useRoom("agents");
  useServerEvent("agent:state", (e) => {
    if (e.systemId && data.items.some((s) => s.name === e.systemId)) refetch();
  });
  return (
    <Card data-testid="declared-systems">
      <CardHeader title="Declared agent systems" description="Agent systems of the programs folder, started at boot under the root supervisor" />
      {data.items.length === 0 && data.loadErrors.length === 0 ? (
        <CardBody>
          <EmptyState icon={Boxes} title="No declared agent systems">
            A file of the programs folder that default-exports <code>defineAgentSystem(...)</code> starts here at boot (see docs/agents/systems.md).
          </EmptyState>
        </CardBody>
      ) : (
        <ul>
          {data.items.map((s) => (
            <SystemCard key={s.name} system={s} />
          ))}
        </ul>
      )}
      {data.loadErrors.length > 0 && (
        <CardBody className="border-t border-border">
          <p className="text-xs font-medium text-bad">Files of the programs folder that could not be loaded</p>
          <ul className="mt-1 space-y-0.5 text-xs text-muted">
            {data.loadErrors.map((e) => (
              <li key={`${e.source}:${e.message}`}>
                <code>{e.source}</code>: {e.message}
              </li>
            ))}
          </ul>
        </CardBody>
      )}
    </Card>
  );
}
