import { HealthSchema, ReadinessSchema } from "../../schemas";
import { route } from "./define";

export const healthRoutes = {
  health: route({
    method: "GET",
    path: "/api/v1/health",
    operationId: "health",
    summary: "Liveness",
    description: "The process answers HTTP. Touches nothing else.",
    tag: "system",
    auth: false,
    success: { status: 200, name: "Health", schema: HealthSchema, description: "Alive." },
    errors: [],
  }),
  ready: route({
    method: "GET",
    path: "/api/v1/ready",
    operationId: "ready",
    summary: "Readiness",
    description: "The database answers a query. 503 NOT_READY names each failing check in `fields`.",
    tag: "system",
    auth: false,
    success: { status: 200, name: "Readiness", schema: ReadinessSchema, description: "Ready to serve." },
    errors: ["NOT_READY"],
  }),
};
