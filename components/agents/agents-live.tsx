"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { useThrottled } from "@/components/runs";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { type AgentRow, type RuntimeEventPayload, type Supervision } from "@/lib/schemas";
import { AgentSystems } from "./agent-systems";
import { AgentsTable } from "./agents-table";
import { SupervisionTree } from "./supervision-tree";

const KEY = ["agents", "supervision"] as const;

type ChildEvent = RuntimeEventPayload<"supervisor:child">;
type AgentEvent = RuntimeEventPayload<"agent:state">;

/** Applies the latest event of each child and agent; false when one is not in the tree yet. */
function apply(tree: Supervision, children: readonly ChildEvent[], agents: readonly AgentEvent[]): { tree: Supervision; complete: boolean } {
  let complete = true;
  const nextChildren = [...tree.children];
  for (const e of children) {
    const i = nextChildren.findIndex((c) => c.supervisor === e.supervisor && c.id === e.child);
    if (i < 0) complete = false;
    else nextChildren[i] = { ...nextChildren[i]!, state: e.state, restarts: e.restarts, lastError: e.lastError, ...(e.state === "running" && { startedAt: e.at }) };
  }
  const nextAgents: AgentRow[] = [...tree.agents];
  for (const e of agents) {
    const i = nextAgents.findIndex((a) => a.id === e.agentId);
    if (i < 0) complete = false;
    else
      nextAgents[i] = { ...nextAgents[i]!, state: e.state, mailboxDepth: e.mailboxDepth, processed: e.processed, restarts: e.restarts, lastError: e.lastError, updatedAt: e.at };
  }
  return { tree: { ...tree, children: nextChildren, agents: nextAgents }, complete };
}

export function AgentsLive({ initial }: { initial: Supervision }) {
  const queryClient = useQueryClient();
  const { data = initial } = useQuery({ queryKey: KEY, queryFn: ({ signal }) => callApi(routes.getSupervision, { signal }), initialData: initial });

  // Events are kept per child / agent and applied together, a few times a second at most.
  useRoom("agents");
  const pending = useRef({ children: new Map<string, ChildEvent>(), agents: new Map<string, AgentEvent>() });
  const flush = useThrottled(() => {
    const { children, agents } = pending.current;
    pending.current = { children: new Map(), agents: new Map() };
    const current = queryClient.getQueryData<Supervision>(KEY);
    if (!current) return;
    const { tree, complete } = apply(current, [...children.values()], [...agents.values()]);
    queryClient.setQueryData(KEY, tree);
    if (!complete) void queryClient.invalidateQueries({ queryKey: KEY, exact: true });
  }, 250);
  useServerEvent("supervisor:child", (e) => {
    pending.current.children.set(`${e.supervisor}/${e.child}`, e);
    flush();
  });
  useServerEvent("agent:state", (e) => {
    pending.current.agents.set(e.agentId, e);
    flush();
  });
  const { connectionEpoch } = useRealtime();
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch !== firstEpoch.current) void queryClient.invalidateQueries({ queryKey: KEY, exact: true });
  }, [connectionEpoch, queryClient]);

  const running = data.children.filter((c) => c.state === "running").length;
  return (
    <div className="space-y-4">
      <AgentSystems />
      <Card>
        <CardHeader
          title="Supervision tree"
          description={`${data.supervisors.length} supervisor${data.supervisors.length === 1 ? "" : "s"}, ${running} of ${data.children.length} children running; restarts and errors appear live`}
        />
        <CardBody>
          <SupervisionTree tree={data} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Agents" description="Agent systems and their agents: state, mailbox depth and messages processed" />
        <CardBody className={data.agents.length ? "p-0" : undefined}>
          <AgentsTable agents={data.agents} total={data.agentTotal} />
        </CardBody>
      </Card>
    </div>
  );
}
