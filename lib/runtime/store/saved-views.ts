// Saved views of the run search: a name and the filters, shared by everyone on the dashboard.
// Saving under a taken name replaces that view's filters.
import type { PrismaClient } from "../../db";
import { SavedViewQuerySchema, SaveViewBodySchema, type SavedView, type SaveViewBody } from "../../schemas/trace-search";
import { NotFoundError } from "./errors";
import { toJson } from "./json";
import { parseInput } from "./parse-input";

const MAX_VIEWS = 200;

function toView(row: { id: string; name: string; query: unknown; createdAt: Date }): SavedView {
  const query = SavedViewQuerySchema.safeParse(row.query);
  return { id: row.id, name: row.name, query: query.success ? query.data : {}, createdAt: row.createdAt.toISOString() };
}

/** Every saved view, by name. */
export async function listSavedViews(prisma: PrismaClient): Promise<SavedView[]> {
  const rows = await prisma.savedView.findMany({ orderBy: { name: "asc" }, take: MAX_VIEWS });
  return rows.map(toView);
}

/** Saves (or replaces, by name) a view. Errors: INVALID (body). */
export async function saveView(prisma: PrismaClient, input: SaveViewBody, createdById: string | null = null): Promise<SavedView> {
  const v = parseInput(SaveViewBodySchema, input, "saved view");
  const query = toJson(v.query);
  const row = await prisma.savedView.upsert({ where: { name: v.name }, create: { name: v.name, query, createdById }, update: { query } });
  return toView(row);
}

/** Errors: NOT_FOUND. */
export async function deleteSavedView(prisma: PrismaClient, id: string): Promise<void> {
  const { count } = await prisma.savedView.deleteMany({ where: { id } });
  if (count === 0) throw new NotFoundError("saved view", id);
}
