// GET /api/v1/supervision: the runtime's supervision tree, flattened, and the agents of the Agent
// table. The dashboard's Agents page reads it once and then follows `supervisor:child` and
// `agent:state` events.
import { readSupervision, type SupervisionSource } from "../services";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export function supervisionRoutes(store: Pick<Store, "listAgents">, supervisor: SupervisionSource | undefined): Route[] {
  const tree = implement(routes.getSupervision, async () => ({ status: 200, body: await readSupervision(store, supervisor) }));
  return [tree];
}
