// What the programs pages show beside the programs themselves: recent run statistics per program
// and the names of the people who authored versions.
import type { PrismaClient } from "../../db";
import type { ProgramListItem } from "../../schemas";
import type { ProgramVersionView } from "./program-versions";

const DAY_MS = 24 * 60 * 60 * 1000;

export type ProgramRunStats = ProgramListItem["stats"];

/** Runs of the 24 hours before `now` and the latest run, per program, in two grouped queries. */
export async function programRunStats(prisma: PrismaClient, ids: readonly string[], now: number): Promise<Map<string, ProgramRunStats>> {
  const where = { programId: { in: [...ids] } };
  const [byStatus, last] = await Promise.all([
    prisma.run.groupBy({ by: ["programId", "status"], where: { ...where, startedAt: { gte: new Date(now - DAY_MS) } }, _count: { _all: true } }),
    prisma.run.groupBy({ by: ["programId"], where, _max: { startedAt: true } }),
  ]);
  const out = new Map<string, { runs: number; errors: number; finished: number; lastRunAt: string | null }>();
  for (const id of ids) out.set(id, { runs: 0, errors: 0, finished: 0, lastRunAt: null });
  for (const row of byStatus) {
    const s = out.get(row.programId ?? "");
    if (!s) continue;
    s.runs += row._count._all;
    if (row.status !== "running") s.finished += row._count._all;
    if (row.status === "error") s.errors += row._count._all;
  }
  for (const row of last) {
    const s = out.get(row.programId ?? "");
    if (s) s.lastRunAt = row._max.startedAt?.toISOString() ?? null;
  }
  return new Map([...out].map(([id, s]) => [id, { runs: s.runs, errors: s.errors, errorRate: s.finished ? s.errors / s.finished : null, lastRunAt: s.lastRunAt }]));
}

export type AuthoredVersion = ProgramVersionView & { readonly authorName: string | null };

/** The versions with the name (or email) of the people among their authors. */
export async function withAuthorNames(prisma: PrismaClient, versions: readonly ProgramVersionView[]): Promise<AuthoredVersion[]> {
  const ids = [...new Set(versions.filter((v) => v.authorKind === "user" && v.authorId).map((v) => v.authorId!))];
  const users = ids.length ? await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name || u.email]));
  return versions.map((v) => ({ ...v, authorName: v.authorId ? (names.get(v.authorId) ?? null) : null }));
}

/** The id and active version id of a program, or null when no program has that name. */
export async function findProgramHead(prisma: PrismaClient, name: string): Promise<{ readonly id: string; readonly activeVersionId: string | null } | null> {
  return prisma.program.findUnique({ where: { name }, select: { id: true, activeVersionId: true } });
}

/** A version's number, values and program name (what serving a version needs), or null. */
export async function findVersionConfig(prisma: PrismaClient, versionId: string): Promise<{ readonly id: string; readonly number: number; readonly config: unknown; readonly programName: string } | null> {
  const row = await prisma.programVersion.findUnique({ where: { id: versionId }, select: { id: true, number: true, config: true, program: { select: { name: true } } } });
  return row && { id: row.id, number: row.number, config: row.config, programName: row.program.name };
}

/** The id of the version of a program an author (e.g. an optimization) saved, or null. */
export async function findVersionByAuthor(prisma: PrismaClient, programId: string, authorKind: "optimization" | "user" | "system", authorId: string): Promise<string | null> {
  const row = await prisma.programVersion.findFirst({ where: { programId, authorKind, authorId }, select: { id: true } });
  return row?.id ?? null;
}

/** The id of a program's version by its number, or null. */
export async function findVersionIdByNumber(prisma: PrismaClient, programId: string, number: number): Promise<string | null> {
  const row = await prisma.programVersion.findUnique({ where: { programId_number: { programId, number } }, select: { id: true } });
  return row?.id ?? null;
}
