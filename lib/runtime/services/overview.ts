// The Overview page's numbers: throughput, errors, latency and spend from the database, and the
// supervision tree's counts from memory.
import type { OverviewMetrics } from "../../schemas";
import type { Store } from "../store";
import { flattenSupervision, type SupervisionSource } from "./supervision";

function supervisionCounts(supervisor: SupervisionSource | undefined): OverviewMetrics["supervision"] {
  if (!supervisor) return { available: false, supervisors: 0, children: 0, running: 0, restarts: 0 };
  const flat = flattenSupervision(supervisor.snapshot());
  return {
    available: true,
    supervisors: flat.supervisors.length,
    children: flat.children.length,
    running: flat.children.filter((c) => c.state === "running").length,
    restarts: flat.children.reduce((sum, c) => sum + c.restarts, 0),
  };
}

export async function overviewMetrics(store: Pick<Store, "overviewFigures">, supervisor: SupervisionSource | undefined, now: Date): Promise<OverviewMetrics> {
  return { ...(await store.overviewFigures(now)), supervision: supervisionCounts(supervisor) };
}
