// GET /api/v1/supervision: the runtime's supervision tree, flattened (supervisors parents first,
// then every child), and the agents of the Agent table. The dashboard's Agents page reads it once
// and then follows `supervisor:child` and `agent:state` events.
import type { PrismaClient } from "../../db";
import { SupervisionSchema, type SupervisedChild, type Supervision, type SupervisorNode } from "../../schemas";
import { toAgentRow } from "../store";
import type { SupervisorSnapshot } from "../supervisor";
import { defineRoute, type Route } from "./router";
import type { ServingDeps } from "./types";

export const AGENT_LIST_MAX = 200;

export interface FlatSupervision {
  readonly supervisors: SupervisorNode[];
  readonly children: SupervisedChild[];
}

/** The tree as two flat lists, depth first, each supervisor before its children. */
export function flattenSupervision(root: SupervisorSnapshot): FlatSupervision {
  const supervisors: SupervisorNode[] = [];
  const children: SupervisedChild[] = [];
  const visit = (s: SupervisorSnapshot, parent: string | null) => {
    supervisors.push({
      path: s.path,
      parent,
      strategy: s.strategy,
      intensity: s.intensity,
      periodMs: s.periodMs,
      state: s.state,
      restartsInPeriod: s.restartsInPeriod,
    });
    for (const c of s.children) {
      children.push({
        supervisor: s.path,
        id: c.id,
        type: c.type,
        restart: c.restart,
        state: c.state,
        restarts: c.restarts,
        lastError: c.lastError,
        startedAt: c.startedAt,
      });
      if (c.supervisor) visit(c.supervisor, s.path);
    }
  };
  visit(root, null);
  return { supervisors, children };
}

export async function readSupervision(prisma: PrismaClient, supervisor: ServingDeps["supervisor"]): Promise<Supervision> {
  const flat = supervisor ? flattenSupervision(supervisor.snapshot()) : { supervisors: [], children: [] };
  const [agents, agentTotal] = await prisma.$transaction([
    prisma.agent.findMany({ orderBy: [{ systemId: "asc" }, { name: "asc" }, { id: "asc" }], take: AGENT_LIST_MAX }),
    prisma.agent.count(),
  ]);
  return {
    available: supervisor !== undefined,
    ...flat,
    agents: agents.map(toAgentRow),
    agentTotal,
  };
}

export function supervisionRoutes(prisma: PrismaClient, supervisor: ServingDeps["supervisor"]): Route[] {
  const tree = defineRoute(
    {
      method: "GET",
      path: "/api/v1/supervision",
      operationId: "getSupervision",
      summary: "The supervision tree and the agents",
      description:
        "The runtime's root supervisor and its subtree, flattened: supervisors (parents first) and their children with state, restarts and last error; then the agents (first 200). Changes arrive live as supervisor:child and agent:state events in the socket room \"agents\".",
      tag: "system",
      auth: true,
      success: { status: 200, name: "Supervision", schema: SupervisionSchema, description: "The supervision tree and the agents." },
      errors: [],
    },
    async () => ({ status: 200, body: await readSupervision(prisma, supervisor) }),
  );
  return [tree];
}
