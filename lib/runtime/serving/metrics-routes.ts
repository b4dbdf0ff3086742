// GET /api/v1/metrics/overview: the Overview page's numbers. The page reads it once and again
// (throttled) when run, LM-call and optimization events say something changed.
import { overviewMetrics, type SupervisionSource } from "../services";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export function metricsRoutes(store: Pick<Store, "overviewFigures">, supervisor: SupervisionSource | undefined, now: () => number = Date.now): Route[] {
  const overview = implement(routes.getOverviewMetrics, async () => ({ status: 200, body: await overviewMetrics(store, supervisor, new Date(now())) }));
  return [overview];
}
