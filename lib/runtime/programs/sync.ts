// Start-up: make the database agree with the registry. Every registered program gets its row
// (source, description, signature for display); a program without versions gets version 1 (its
// defaults, by the system, "initial"), made active; a bundled dataset is seeded once.
import type { PrismaClient } from "../../db";
import { ConflictError, createDataset, createDatasetVersion, upsertProgram } from "../store";
import { describeProgram } from "./describe-program";
import type { ProgramRegistry, RegisteredProgram } from "./registry";

export interface SyncedProgram {
  readonly name: string;
  readonly programId: string;
  /** Version 1 was created now. */
  readonly createdInitialVersion: boolean;
  readonly activeVersionId: string;
  /** The dataset "<name>" was seeded now from the program's bundled examples. */
  readonly seededDataset: boolean;
}

export interface SyncReport {
  readonly programs: readonly SyncedProgram[];
  /** Programs in the database that no loaded file serves (kept, with their history). */
  readonly unserved: readonly string[];
}

export interface SyncOptions {
  /** Seed a dataset named after each program from its bundled examples when none exists (default true). */
  readonly seedDatasets?: boolean;
}

export async function syncPrograms(prisma: PrismaClient, registry: ProgramRegistry, options: SyncOptions = {}): Promise<SyncReport> {
  const programs: SyncedProgram[] = [];
  for (const p of registry.programs) {
    const row = await upsertProgram(prisma, { name: p.name, description: p.description, source: p.source, signature: describeProgram(p) });
    const active = await ensureActiveVersion(prisma, row.id, p);
    const seededDataset = options.seedDatasets !== false && (await seedDataset(prisma, p));
    programs.push({ name: p.name, programId: row.id, createdInitialVersion: active.created, activeVersionId: active.id, seededDataset });
  }
  const served = new Set(registry.programs.map((p) => p.name));
  const all = await prisma.program.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return { programs, unserved: all.map((r) => r.name).filter((n) => !served.has(n)) };
}

/**
 * Version 1 for a program without versions; else the active version, or the latest one made
 * active when none is. The program row is locked meanwhile, so servers starting together agree.
 */
async function ensureActiveVersion(prisma: PrismaClient, programId: string, p: RegisteredProgram): Promise<{ id: string; created: boolean }> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Program" WHERE "id" = ${programId} FOR UPDATE`;
    const program = await tx.program.findUniqueOrThrow({ where: { id: programId }, select: { activeVersionId: true } });
    if (program.activeVersionId) return { id: program.activeVersionId, created: false };
    const latest = await tx.programVersion.findFirst({ where: { programId }, orderBy: { number: "desc" }, select: { id: true } });
    if (latest) {
      await tx.program.update({ where: { id: programId }, data: { activeVersionId: latest.id } });
      return { id: latest.id, created: false };
    }
    const v1 = await tx.programVersion.create({
      data: { programId, number: 1, config: JSON.parse(JSON.stringify(p.space.defaults())), diff: [], authorKind: "system", message: "initial" },
      select: { id: true },
    });
    await tx.program.update({ where: { id: programId }, data: { activeVersionId: v1.id } });
    return { id: v1.id, created: true };
  });
}

async function seedDataset(prisma: PrismaClient, p: RegisteredProgram): Promise<boolean> {
  if (p.dataset.length === 0) return false;
  if (await prisma.dataset.findUnique({ where: { name: p.name }, select: { id: true } })) return false;
  try {
    await createDataset(prisma, { name: p.name, description: `Examples bundled with the program "${p.name}" (${p.source})` });
  } catch (err) {
    if (err instanceof ConflictError) return false; // another server seeded it meanwhile
    throw err;
  }
  await createDatasetVersion(prisma, {
    datasetName: p.name,
    message: "bundled examples",
    examples: p.dataset.map((e) => ({ inputs: e.inputs as never, outputs: e.outputs as never, split: e.split ?? "train" })),
  });
  return true;
}
