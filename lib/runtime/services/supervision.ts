// The runtime's supervision tree, flattened (supervisors parents first, then every child), with
// the agents of the Agent table: what the Agents page and GET /api/v1/supervision show.
import type { SupervisedChild, Supervision, SupervisorNode } from "../../schemas";
import type { Store } from "../store";
import type { SupervisorSnapshot } from "../supervisor";

/** The live supervision tree, where the runtime has one. */
export interface SupervisionSource {
  snapshot(): SupervisorSnapshot;
}

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

export async function readSupervision(store: Pick<Store, "listAgents">, supervisor: SupervisionSource | undefined): Promise<Supervision> {
  const flat = supervisor ? flattenSupervision(supervisor.snapshot()) : { supervisors: [], children: [] };
  const { agents, total } = await store.listAgents(AGENT_LIST_MAX);
  return { available: supervisor !== undefined, ...flat, agents, agentTotal: total };
}
