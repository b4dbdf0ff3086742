// GET /api/v1/health (liveness) and /api/v1/ready (the database answers); neither needs a key.
import { type Readiness } from "../../schemas";
import type { Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export function healthRoutes(store: Pick<Store, "pingDatabase">): Route[] {
  const health = implement(routes.health, async () => ({ status: 200, body: { status: "ok" } }));

  const ready = implement(routes.ready, async () => {
    try {
      await store.pingDatabase();
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ServingError("NOT_READY", `not ready: the database does not answer (${detail})`, [{ field: "database", message: detail }]);
    }
    const body: Readiness = { status: "ready", checks: { database: { ok: true } } };
    return { status: 200, body };
  });

  return [health, ready];
}
