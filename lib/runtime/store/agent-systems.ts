// Agent systems as the Agent table holds them (rows grouped by systemId, written by the event
// writer from agent:state events), with their recorded state changes.
import type { PrismaClient } from "../../db";
import type { AgentRow, AgentSystemDetail, AgentSystemSummary, PageParams } from "../../schemas";
import { toAgentRow } from "./agents";
import { NotFoundError } from "./errors";

/** Agent systems, most recently updated first, one page; `jobIdOf` names the job behind a system (or null). */
export async function listAgentSystems(
  prisma: PrismaClient,
  page: PageParams,
  jobIdOf: (systemId: string) => string | null,
): Promise<{ items: AgentSystemSummary[]; total: number }> {
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
  const jobIds = ids.map(jobIdOf).filter((id): id is string => id !== null);
  const [states, jobs] = await Promise.all([
    prisma.agent.groupBy({ by: ["systemId", "state"], where: { systemId: { in: ids } }, _count: { _all: true } }),
    jobIds.length ? prisma.job.findMany({ where: { id: { in: jobIds } }, select: { id: true, status: true } }) : Promise.resolve([]),
  ]);
  const items = groups.map((g): AgentSystemSummary => {
    const systemId = g.systemId!;
    const jobId = jobIdOf(systemId);
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

/** One agent system: its agents and a page of their state changes, newest first. NOT_FOUND when it has no agents. */
export async function getAgentSystem(prisma: PrismaClient, systemId: string, page: PageParams, jobId: string | null): Promise<AgentSystemDetail> {
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
    jobId,
  };
}

/** The first `limit` agents (by system, name, id) and how many there are. */
export async function listAgents(prisma: PrismaClient, limit: number): Promise<{ agents: AgentRow[]; total: number }> {
  const [agents, total] = await prisma.$transaction([
    prisma.agent.findMany({ orderBy: [{ systemId: "asc" }, { name: "asc" }, { id: "asc" }], take: limit }),
    prisma.agent.count(),
  ]);
  return { agents: agents.map(toAgentRow), total };
}
