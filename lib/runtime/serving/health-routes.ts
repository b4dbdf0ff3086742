// GET /api/v1/health (liveness) and /api/v1/ready (the database answers); neither needs a key.
import type { PrismaClient } from "../../db";
import { HealthSchema, ReadinessSchema, type Readiness } from "../../schemas";
import { ServingError } from "./errors";
import { defineRoute, type Route } from "./router";

export function healthRoutes(prisma: PrismaClient): Route[] {
  const health = defineRoute(
    {
      method: "GET",
      path: "/api/v1/health",
      operationId: "health",
      summary: "Liveness",
      description: "The process answers HTTP. Touches nothing else.",
      tag: "system",
      auth: false,
      success: { status: 200, name: "Health", schema: HealthSchema, description: "Alive." },
      errors: [],
    },
    async () => ({ status: 200, body: { status: "ok" } }),
  );

  const ready = defineRoute(
    {
      method: "GET",
      path: "/api/v1/ready",
      operationId: "ready",
      summary: "Readiness",
      description: "The database answers a query. 503 NOT_READY names each failing check in `fields`.",
      tag: "system",
      auth: false,
      success: { status: 200, name: "Readiness", schema: ReadinessSchema, description: "Ready to serve." },
      errors: ["NOT_READY"],
    },
    async () => {
      try {
        await prisma.$queryRaw`SELECT 1`;
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        throw new ServingError("NOT_READY", `not ready: the database does not answer (${detail})`, [{ field: "database", message: detail }]);
      }
      const body: Readiness = { status: "ready", checks: { database: { ok: true } } };
      return { status: 200, body };
    },
  );

  return [health, ready];
}
