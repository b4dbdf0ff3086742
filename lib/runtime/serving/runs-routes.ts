// GET /api/v1/runs (paged, filtered) and GET /api/v1/runs/:id (the trace).
import { type RunPageSchema, type TraceSchema, type Wire } from "../../schemas";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export function runsRoutes(store: Pick<Store, "listRuns" | "getTrace">): Route[] {
  const list = implement(routes.listRuns, async ({ query }) => {
    const page: Wire<typeof RunPageSchema> = await store.listRuns(query);
    return { status: 200, body: page };
  });

  const trace = implement(routes.getRun, async ({ params }) => {
    const body: Wire<typeof TraceSchema> = await store.getTrace(params.id);
    return { status: 200, body };
  });

  return [list, trace];
}
