"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { formatCount, useEventRefetch, useThrottled } from "@/components/runs";
import { Card, CardBody, CardHeader, LocalTime } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { AgentStateSchema, type AgentRow, type AgentSystemDetail, type DemoTeamJob, type RuntimeEventPayload } from "@/lib/schemas";
import { MailboxChart, ThroughputChart } from "./agent-charts";
import { mailboxSeries, mergeSamples, throughputSeries, type AgentSample } from "./agent-series";
import { AgentStateBadge } from "./agent-state-badge";
import { DemoTeamProgress, type ObservedTask } from "./demo-team-progress";

type StateEvent = RuntimeEventPayload<"agent:state">;
interface JobData {
  readonly job: DemoTeamJob;
  readonly observed: ReadonlyMap<string, ObservedTask>;
}

const EVENTS_LIMIT = 100;
const ended = (status: DemoTeamJob["status"]) => status !== "queued" && status !== "running";

const sampleOf = (e: StateEvent): AgentSample => ({ agentId: e.agentId, at: Date.parse(e.at), processed: e.processed, mailboxDepth: e.mailboxDepth });

function samplesOf(detail: AgentSystemDetail): AgentSample[] {
  const out: AgentSample[] = [];
  for (const row of detail.events.items) {
    const parsed = AgentStateSchema.safeParse(row.data);
    if (parsed.success) out.push(sampleOf(parsed.data));
  }
  return mergeSamples([], out);
}

function emptyDetail(systemId: string, jobId: string | null): AgentSystemDetail {
  return { systemId, agents: [], events: { items: [], total: 0, page: 1, limit: EVENTS_LIMIT }, jobId };
}

/** The agents with the latest event of each applied (new agents added). */
function applyEvents(agents: readonly AgentRow[], events: readonly StateEvent[]): AgentRow[] {
  const next = [...agents];
  for (const e of events) {
    const row: AgentRow = { id: e.agentId, systemId: e.systemId, name: e.name, role: e.role, state: e.state, mailboxDepth: e.mailboxDepth, processed: e.processed, restarts: e.restarts, lastError: e.lastError, updatedAt: e.at };
    const i = next.findIndex((a) => a.id === e.agentId);
    if (i < 0) next.push(row);
    else if (Date.parse(next[i]!.updatedAt) <= Date.parse(e.at)) next[i] = row;
  }
  return next.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function AgentCard({ agent }: { agent: AgentRow }) {
  return (
    <li data-testid="system-agent" data-agent-name={agent.name} data-state={agent.state} className="rounded-lg border border-border bg-card p-3">
      <div className="flex items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium">{agent.name}</p>
          <p className="text-xs text-muted">role {agent.role}</p>
        </div>
        <AgentStateBadge state={agent.state} />
      </div>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-xs">
        <div>
          <dt className="text-muted">Mailbox</dt>
          <dd className="text-base font-semibold tabular-nums" data-testid="agent-mailbox">
            {agent.mailboxDepth}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Processed</dt>
          <dd className="text-base font-semibold tabular-nums" data-testid="agent-processed">
            {formatCount(agent.processed)}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Restarts</dt>
          <dd className={`text-base font-semibold tabular-nums ${agent.restarts > 0 ? "text-warn" : ""}`}>{agent.restarts}</dd>
        </div>
      </dl>
      <p className={`mt-2 truncate text-xs ${agent.lastError ? "text-bad" : "text-muted"}`} title={agent.lastError ?? undefined}>
        {agent.lastError ? `Last error: ${agent.lastError}` : "No errors"} · updated <LocalTime iso={agent.updatedAt} style="time" />
      </p>
    </li>
  );
}

/** One agent system, live: its agents, their mailbox and throughput charts, and the demo team's tasks. */
export function AgentSystemLive({ initial, initialJob }: { initial: AgentSystemDetail; initialJob: DemoTeamJob | null }) {
  const { systemId, jobId } = initial;
  const queryClient = useQueryClient();
  const detailKey = useMemo(() => ["agents", "system", systemId] as const, [systemId]);
  const jobKey = useMemo(() => ["agents", "demo-team", jobId] as const, [jobId]);
  const [samples, setSamples] = useState<AgentSample[]>(() => samplesOf(initial));

  const { data: detail = initial } = useQuery({
    queryKey: detailKey,
    initialData: initial,
    queryFn: async ({ signal }) => {
      try {
        const fresh = await callApi(routes.getAgentSystem, { params: { systemId }, query: { limit: EVENTS_LIMIT }, signal });
        setSamples((s) => mergeSamples(s, samplesOf(fresh)));
        return fresh;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return emptyDetail(systemId, jobId);
        throw err;
      }
    },
  });

  const { data: jobData } = useQuery<JobData | null>({
    queryKey: jobKey,
    initialData: initialJob ? { job: initialJob, observed: new Map() } : null,
    enabled: jobId !== null,
    queryFn: async ({ signal }) => {
      const job = await callApi(routes.getDemoTeamJob, { params: { jobId: jobId! }, signal });
      const observed = new Map(queryClient.getQueryData<JobData | null>(jobKey)?.observed ?? []);
      if (job.progress) observed.set(job.progress.taskId, { rounds: job.progress.round, approved: job.progress.approved });
      return { job, observed };
    },
  });
  const job = jobData?.job ?? null;

  // Live: each agent's latest event applied a few times a second; the job read again as rounds end.
  useRoom("agents");
  const pending = useRef(new Map<string, StateEvent>());
  const added = useRef<AgentSample[]>([]);
  const flush = useThrottled(() => {
    const events = [...pending.current.values()];
    const fresh = added.current;
    pending.current = new Map();
    added.current = [];
    queryClient.setQueryData<AgentSystemDetail>(detailKey, (d) => (d ? { ...d, agents: applyEvents(d.agents, events) } : d));
    setSamples((s) => mergeSamples(s, fresh));
  }, 300);
  const refetchJob = useEventRefetch(() => {
    if (jobId) void queryClient.invalidateQueries({ queryKey: jobKey, exact: true });
  }, 500);
  useServerEvent("agent:state", (e) => {
    if (e.systemId !== systemId) return;
    pending.current.set(e.agentId, e);
    added.current.push(sampleOf(e));
    flush();
    if (job && !ended(job.status)) refetchJob();
  });

  // The job's summary is stored after its agents stop: once they all have, read it until it is there.
  const allStopped = detail.agents.length > 0 && detail.agents.every((a) => a.state === "stopped");
  const settleTries = useRef(0);
  useEffect(() => {
    if (!job || ended(job.status) || !allStopped || settleTries.current >= 40) return;
    const timer = setTimeout(() => {
      settleTries.current++;
      void queryClient.invalidateQueries({ queryKey: jobKey, exact: true });
    }, 500);
    return () => clearTimeout(timer);
  }, [job, allStopped, queryClient, jobKey]);

  const { connectionEpoch } = useRealtime();
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch === firstEpoch.current) return;
    void queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
    if (jobId) void queryClient.invalidateQueries({ queryKey: jobKey, exact: true });
  }, [connectionEpoch, queryClient, detailKey, jobKey, jobId]);

  const labels = useMemo(() => {
    const map = new Map<string, string>();
    const used = new Set<string>();
    for (const a of detail.agents) {
      const label = used.has(a.name) ? `${a.name} (${a.id.slice(0, 6)})` : a.name;
      used.add(label);
      map.set(a.id, label);
    }
    return map;
  }, [detail.agents]);
  const labelList = useMemo(() => [...new Set(labels.values())], [labels]);
  const mailbox = useMemo(() => mailboxSeries(samples, labels), [samples, labels]);
  const throughput = useMemo(() => throughputSeries(samples, labels), [samples, labels]);

  return (
    <div className="space-y-4">
      <Card>
        <CardHeader title="Agents" description={`${detail.agents.length} agent${detail.agents.length === 1 ? "" : "s"}; states, mailboxes and counts update live`} />
        <CardBody>
          {detail.agents.length === 0 ? (
            <p className="text-sm text-muted" data-testid="agents-waiting">
              Waiting for the agents to start: they appear here as soon as they report their first state.
            </p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              {detail.agents.map((a) => (
                <AgentCard key={a.id} agent={a} />
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      {job && <DemoTeamProgress job={job} observed={jobData?.observed ?? new Map()} />}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title="Throughput per agent" description={`Messages processed per second, averaged over ${((4 * throughput.bucketMs) / 1000).toFixed(1)} s`} />
          <CardBody className="h-64">
            <ThroughputChart points={throughput.points} labels={labelList} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Mailbox depth per agent" description="Messages waiting in each agent's mailbox" />
          <CardBody className="h-64">
            <MailboxChart points={mailbox} labels={labelList} />
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
