// Trace search over the API: GET /api/v1/runs/search, saved views (/api/v1/views), and
// POST /api/v1/runs/{id}/add-to-dataset.
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

type SearchStore = Pick<Store, "searchRuns" | "listSavedViews" | "saveView" | "deleteSavedView" | "addRunToDataset">;

/** Routes to place before GET /api/v1/runs/{id}, which would otherwise take "search" for a run id. */
export function traceSearchRoutes(store: SearchStore): Route[] {
  const search = implement(routes.searchRuns, async ({ query }) => ({ status: 200, body: await store.searchRuns(query) }));

  const views = implement(routes.listSavedViews, async () => ({ status: 200, body: { items: await store.listSavedViews() } }));

  const save = implement(routes.saveView, async ({ body, caller }) => ({ status: 200, body: await store.saveView(body, caller.kind === "user" ? caller.user.id : null) }));

  const remove = implement(routes.deleteSavedView, async ({ params }) => {
    await store.deleteSavedView(params.id);
    return { status: 200, body: { deleted: true, id: params.id } };
  });

  const toDataset = implement(routes.addRunToDataset, async ({ params, body }) => ({ status: 201, body: await store.addRunToDataset(params.id, body) }));

  return [search, views, save, remove, toDataset];
}
