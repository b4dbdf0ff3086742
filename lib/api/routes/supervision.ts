import { SupervisionSchema } from "../../schemas";
import { route } from "./define";

export const supervisionRoutes = {
  getSupervision: route({
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
  }),
};
