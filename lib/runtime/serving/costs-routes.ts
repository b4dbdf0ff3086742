// Spend through the API: a summary of the last 7/30/90 days (by model, program, API key and day,
// with a month-end forecast), the same as CSV, and budgets (list for anyone, changes for admins).
import { CostExportQuerySchema, CostsQuerySchema } from "../../schemas";
import { costsExport, costSummary, labelBudgets } from "../services";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export interface CostsEnv {
  readonly store: Pick<Store, "costReport" | "budgetTargetNames" | "listBudgetTargets" | "listBudgets" | "createBudget" | "updateBudget" | "deleteBudget">;
  /** Milliseconds (default Date.now). */
  readonly now?: () => number;
  /** Called after a budget changes, so the LM stack stops trusting its cached budgets. */
  readonly onBudgetsChanged?: () => void;
  /** Commits pending events first, so the numbers include every LM call already pushed to browsers. */
  readonly flushEvents?: () => Promise<void>;
}

export function costRoutes(env: CostsEnv): Route[] {
  const { store } = env;
  const now = env.now ?? Date.now;

  const summary = implement(routes.getCosts, async ({ query }) => {
    await env.flushEvents?.();
    return { status: 200, body: await costSummary(store, CostsQuerySchema.parse(query), now()) };
  });

  const exportCsv = implement(routes.exportCosts, async ({ query }) => {
    const q = CostExportQuerySchema.parse(query);
    await env.flushEvents?.();
    const file = await costsExport(store, q, now());
    return { status: 200, body: file.csv, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${file.filename}"` } };
  });

  const list = implement(routes.listBudgets, async ({ query }) => {
    await env.flushEvents?.();
    const page = await store.listBudgets(query, new Date(now()));
    return { status: 200, body: { ...page, items: await labelBudgets(store, page.items) } };
  });

  const targets = implement(routes.listBudgetTargets, async () => {
    return { status: 200, body: await store.listBudgetTargets() };
  });

  const create = implement(routes.createBudget, async ({ body }) => {
    const budget = await store.createBudget(body, new Date(now()));
    env.onBudgetsChanged?.();
    return { status: 201, body: (await labelBudgets(store, [budget]))[0] };
  });

  const update = implement(routes.updateBudget, async ({ params, body }) => {
    const budget = await store.updateBudget(params.id, body, new Date(now()));
    env.onBudgetsChanged?.();
    return { status: 200, body: (await labelBudgets(store, [budget]))[0] };
  });

  const remove = implement(routes.deleteBudget, async ({ params }) => {
    await store.deleteBudget(params.id);
    env.onBudgetsChanged?.();
    return { status: 200, body: { deleted: true, id: params.id } };
  });

  return [summary, exportCsv, list, targets, create, update, remove];
}
