import { findRuntime } from "@/lib/runtime";
import type { Readiness } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/** Readiness: the runtime is up and the database answers. 503 otherwise, with the failing check. */
export async function GET(): Promise<Response> {
  const runtime = findRuntime();
  const checks: Readiness["checks"] = {};
  if (!runtime) {
    checks.runtime = { ok: false, detail: "the runtime is not running in this process" };
  } else {
    checks.runtime = { ok: true };
    try {
      await runtime.db.sql.query("SELECT 1");
      checks.database = { ok: true, detail: runtime.db.backend };
    } catch (err) {
      checks.database = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
  const ready = Object.values(checks).every((c) => c.ok);
  const body: Readiness = { status: ready ? "ready" : "not_ready", checks };
  return Response.json(body, { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
