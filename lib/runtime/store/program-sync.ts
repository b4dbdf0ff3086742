// The queries of start-up's program sync (lib/runtime/programs/sync): the active version made or
// moved under the program row's lock, the names of every stored program, whether a dataset exists.
import type { PrismaClient } from "../../db";
import type { Config } from "../../dspex";

/** What the sync knows of a program's code: its description, its defaults, and how a code change moves its values. */
export interface ActiveVersionPlan {
  /** Stored as the program's signature (compared with the next start's). */
  readonly signature: object;
  /** The values of version 1. */
  readonly defaults: Config;
  /**
   * The version to make from the active one when the stored signature shows that the code's
   * defaults changed, or undefined to keep the active version.
   */
  changed(storedSignature: unknown, activeConfig: Config): { readonly config: Config; readonly diff: unknown; readonly message: string } | undefined;
}

const json = (value: unknown): object => JSON.parse(JSON.stringify(value)) as object;

/**
 * Version 1 for a program without versions; else the active version (a new one when the plan says
 * the code changed), or the latest one made active when none is. The program row is locked
 * meanwhile, so servers starting together agree.
 */
export async function ensureActiveVersion(prisma: PrismaClient, programId: string, plan: ActiveVersionPlan): Promise<{ id: string; created: boolean; changed?: number }> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Program" WHERE "id" = ${programId} FOR UPDATE`;
    const program = await tx.program.findUniqueOrThrow({ where: { id: programId }, select: { activeVersionId: true, signature: true } });
    await tx.program.update({ where: { id: programId }, data: { signature: plan.signature } });
    if (program.activeVersionId) {
      const active = await tx.programVersion.findUniqueOrThrow({ where: { id: program.activeVersionId }, select: { id: true, number: true, config: true } });
      const next = plan.changed(program.signature, (active.config ?? {}) as Config);
      if (next === undefined) return { id: active.id, created: false };
      const last = await tx.programVersion.aggregate({ where: { programId }, _max: { number: true } });
      const number = (last._max.number ?? 0) + 1;
      const made = await tx.programVersion.create({
        data: { programId, number, parentId: active.id, config: json(next.config), diff: json(next.diff), authorKind: "system", message: next.message },
        select: { id: true },
      });
      await tx.program.update({ where: { id: programId }, data: { activeVersionId: made.id } });
      return { id: made.id, created: false, changed: number };
    }
    const latest = await tx.programVersion.findFirst({ where: { programId }, orderBy: { number: "desc" }, select: { id: true } });
    if (latest) {
      await tx.program.update({ where: { id: programId }, data: { activeVersionId: latest.id } });
      return { id: latest.id, created: false };
    }
    const v1 = await tx.programVersion.create({
      data: { programId, number: 1, config: json(plan.defaults), diff: [], authorKind: "system", message: "initial" },
      select: { id: true },
    });
    await tx.program.update({ where: { id: programId }, data: { activeVersionId: v1.id } });
    return { id: v1.id, created: true };
  });
}

/** Every stored program's name, in order. */
export async function programNames(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.program.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((r) => r.name);
}

/** Whether a dataset of this name exists. */
export async function datasetExists(prisma: PrismaClient, name: string): Promise<boolean> {
  return (await prisma.dataset.findUnique({ where: { name }, select: { id: true } })) !== null;
}
