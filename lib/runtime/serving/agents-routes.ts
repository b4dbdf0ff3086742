// Agent systems and the demo team (issue 7) over HTTP: launch the coder-and-reviewer demo team as a
// job and follow it, and read the agent systems of the Agent table (grouped by systemId) with their
// agents and recent state changes. The dashboard's Agents pages read these once and then follow
// `agent:state` events in the socket room "agents".
import type { PrismaClient } from "../../db";
import {
  AgentSystemDetailSchema,
  AgentSystemPageSchema,
  AgentSystemParamsSchema,
  DemoTeamJobParamsSchema,
  DemoTeamJobSchema,
  DemoTeamLaunchSchema,
  DemoTeamProgressSchema,
  DemoTeamResultSchema,
  PageQuerySchema,
  RunDemoTeamBodySchema,
  type AgentSystemSummary,
  type DemoTeamJob,
  type PageParams,
  type RunDemoTeamBody,
} from "../../schemas";
import { DEMO_TASKS, DEMO_TEAM_JOB, DemoTeamJobPayloadSchema } from "../agents/demo-team";
import type { JobView } from "../jobs";
import { NotFoundError, toAgentRow } from "../store";
import { ServingError } from "./errors";
import { defineRoute, type Route } from "./router";
import type { AgentJobs } from "./types";

const SYSTEM_PREFIX = `${DEMO_TEAM_JOB}:`;

export interface AgentsEnv {
  readonly prisma: PrismaClient;
  readonly jobs?: AgentJobs;
}

/** The demo-team job id behind a systemId ("demo-team:<jobId>"), else null. */
export function demoTeamJobIdOf(systemId: string): string | null {
  return systemId.startsWith(SYSTEM_PREFIX) && systemId.length > SYSTEM_PREFIX.length ? systemId.slice(SYSTEM_PREFIX.length) : null;
}

const isoOrNull = (v: string | null) => (v === null ? null : new Date(v).toISOString());

/** A demo-team job as the dashboard reads it; tolerant of rows whose progress or result do not parse. */
export function demoTeamJobView(view: JobView): DemoTeamJob {
  const payload = DemoTeamJobPayloadSchema.safeParse(view.payload);
  const ids = (payload.success && payload.data.tasks) || DEMO_TASKS.map((t) => t.id);
  const progress = DemoTeamProgressSchema.safeParse(view.progress);
  const result = DemoTeamResultSchema.safeParse(view.result);
  return {
    jobId: view.id,
    systemId: `${SYSTEM_PREFIX}${view.id}`,
    status: view.status,
    maxRounds: payload.success ? payload.data.maxRounds : 4,
    tasks: ids.map((id) => ({ id, title: DEMO_TASKS.find((t) => t.id === id)?.title ?? id })),
    progress: progress.success ? progress.data : null,
    result: result.success ? result.data : null,
    error: view.error,
    createdAt: new Date(view.createdAt).toISOString(),
    startedAt: isoOrNull(view.startedAt),
    finishedAt: isoOrNull(view.finishedAt),
  };
}

function queueOf(env: AgentsEnv): AgentJobs {
  if (!env.jobs) throw new ServingError("QUEUE_UNAVAILABLE", "this server has no job queue for agent systems; start it with the runtime (npm start)");
  return env.jobs;
}

/** Agent systems, most recently updated first, one page. */
export async function listAgentSystems(prisma: PrismaClient, page: PageParams): Promise<{ items: AgentSystemSummary[]; total: number }> {
  const where = { systemId: { not: null } };
  const [groups, totalGroups] = await Promise.all([
    prisma.agent.groupBy({
      by: ["systemId"],
      where,
      _count: { _all: true },
      _sum: { processed: true, restarts: true, mailboxDepth: true },
      _max: { updatedAt: true },
      orderBy: [{ _max: { updatedAt: "desc" } }, { systemId: "asc" }],
      skip: (page.page - 1) * page.limit,
      take: page.limit,
    }),
    prisma.agent.groupBy({ by: ["systemId"], where }),
  ]);
  const ids = groups.map((g) => g.systemId!);
  const jobIds = ids.map(demoTeamJobIdOf).filter((id): id is string => id !== null);
  const [states, jobs] = await Promise.all([
    prisma.agent.groupBy({ by: ["systemId", "state"], where: { systemId: { in: ids } }, _count: { _all: true } }),
    jobIds.length ? prisma.job.findMany({ where: { id: { in: jobIds } }, select: { id: true, status: true } }) : Promise.resolve([]),
  ]);
  const items = groups.map((g): AgentSystemSummary => {
    const systemId = g.systemId!;
    const jobId = demoTeamJobIdOf(systemId);
    const job = jobId === null ? undefined : jobs.find((j) => j.id === jobId);
    return {
      systemId,
      agents: g._count._all,
      states: Object.fromEntries(states.filter((s) => s.systemId === systemId).map((s) => [s.state, s._count._all])),
      processed: g._sum.processed ?? 0,
      restarts: g._sum.restarts ?? 0,
      mailboxDepth: g._sum.mailboxDepth ?? 0,
      lastUpdate: (g._max.updatedAt ?? new Date(0)).toISOString(),
      job: job ? { id: job.id, status: job.status } : null,
    };
  });
  return { items, total: totalGroups.length };
}

export async function readAgentSystem(prisma: PrismaClient, systemId: string, page: PageParams) {
  const agents = await prisma.agent.findMany({ where: { systemId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  if (agents.length === 0) throw new NotFoundError("agent system", systemId, "systemId");
  const where = { agentId: { in: agents.map((a) => a.id) } };
  const [events, total] = await prisma.$transaction([
    prisma.agentEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page.page - 1) * page.limit, take: page.limit }),
    prisma.agentEvent.count({ where }),
  ]);
  return {
    systemId,
    agents: agents.map(toAgentRow),
    events: { items: events.map((e) => ({ id: e.id, agentId: e.agentId, kind: e.kind, data: e.data, createdAt: e.createdAt.toISOString() })), total, page: page.page, limit: page.limit },
    jobId: demoTeamJobIdOf(systemId),
  };
}

export function agentsRoutes(env: AgentsEnv): Route[] {
  const { prisma } = env;
  const common = { tag: "agents", auth: true } as const;

  const runDemoTeam = defineRoute<undefined, RunDemoTeamBody>(
    {
      ...common,
      method: "POST",
      path: "/api/v1/agents/demo-team",
      operationId: "runDemoTeam",
      summary: "Run the demo team",
      description:
        "Queues the demo team: a coder and a reviewer agent iterate on bundled programming tasks (default all eight) until the reviewer approves or maxRounds is reached; hidden tests run in a QuickJS sandbox. Its agents stream agent:state events with systemId \"demo-team:<jobId>\".",
      body: { name: "RunDemoTeamBody", schema: RunDemoTeamBodySchema, example: { tasks: ["fizzbuzz", "clamp"], maxRounds: 4 } satisfies RunDemoTeamBody, limit: "single" },
      success: { status: 201, name: "DemoTeamLaunch", schema: DemoTeamLaunchSchema, description: "The queued job and the systemId its agents report under." },
      errors: ["QUEUE_UNAVAILABLE"],
    },
    async ({ body }) => {
      const queue = queueOf(env);
      const parsed = RunDemoTeamBodySchema.parse(body);
      let jobId: string;
      try {
        jobId = (await queue.enqueue(DEMO_TEAM_JOB, { ...(parsed.tasks && { tasks: parsed.tasks }), maxRounds: parsed.maxRounds })).id;
      } catch (err) {
        throw new ServingError("QUEUE_UNAVAILABLE", `the demo team could not be queued: ${err instanceof Error ? err.message : String(err)}`);
      }
      return { status: 201, body: { jobId, systemId: `${SYSTEM_PREFIX}${jobId}` }, headers: { location: `/api/v1/agents/demo-team/${jobId}` } };
    },
  );

  const demoTeamJob = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/agents/demo-team/{jobId}",
      params: DemoTeamJobParamsSchema,
      operationId: "getDemoTeamJob",
      summary: "A demo-team run: status, progress and summary",
      description: "The job's status, its latest round (progress) and, once it completed, a summary per task: approved, rounds, hidden tests passed and the final code.",
      success: { status: 200, name: "DemoTeamJob", schema: DemoTeamJobSchema, description: "The demo-team job." },
      errors: ["NOT_FOUND", "QUEUE_UNAVAILABLE"],
    },
    async ({ params }) => {
      const view = await queueOf(env).get(params.jobId!);
      if (view.kind !== DEMO_TEAM_JOB) throw new NotFoundError("demo-team job", params.jobId!, "jobId");
      return { status: 200, body: demoTeamJobView(view) };
    },
  );

  const systems = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/agents/systems",
      query: PageQuerySchema,
      operationId: "listAgentSystems",
      summary: "Agent systems",
      description: "The agents of the Agent table grouped by systemId, most recently updated first: agents, agents per state, messages processed, restarts, mailbox depth and last update.",
      success: { status: 200, name: "AgentSystemPage", schema: AgentSystemPageSchema, description: "One page of agent systems." },
      errors: [],
    },
    async ({ query }) => {
      const page = query as PageParams;
      const { items, total } = await listAgentSystems(prisma, page);
      return { status: 200, body: { items, total, page: page.page, limit: page.limit } };
    },
  );

  const system = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/agents/systems/{systemId}",
      params: AgentSystemParamsSchema,
      query: PageQuerySchema,
      operationId: "getAgentSystem",
      summary: "An agent system: its agents and their state changes",
      description: "The system's agents (state, mailbox depth, processed, restarts, last error) and one page of their recorded state changes, newest first.",
      success: { status: 200, name: "AgentSystemDetail", schema: AgentSystemDetailSchema, description: "The agent system." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => ({ status: 200, body: await readAgentSystem(prisma, params.systemId!, query as PageParams) }),
  );

  return [runDemoTeam, demoTeamJob, systems, system];
}
