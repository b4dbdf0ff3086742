// Start-up: make the database agree with the registry. Every registered program gets its row
// (source, description, signature for display); a program without versions gets version 1 (its
// defaults, by the system, "initial"), made active; a bundled dataset is seeded once.
// When a program's code changes the defaults of its variables (its instructions, a temperature,
// a variable added or removed), a new version is made active: the active version's values with
// the changed defaults over them. The stored description is compared under the row's lock, so
// processes syncing the same change together make one version.
import { jsonEqual, type Config, type JsonValue } from "../../dspex";
import type { PrismaClient } from "../../db";
import { ConflictError, createDataset, createDatasetVersion, datasetExists, diffConfigs, ensureActiveVersion, mergeConfig, programNames, upsertProgram, type ActiveVersionPlan } from "../store";
import { describeProgram } from "./describe-program";
import type { ProgramRegistry, RegisteredProgram } from "./registry";

export interface SyncedProgram {
  readonly name: string;
  readonly programId: string;
  /** Version 1 was created now. */
  readonly createdInitialVersion: boolean;
  /** The number of the version made now because the code's defaults changed. */
  readonly createdVersionForChange?: number;
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
    const description = describeProgram(p);
    const row = await upsertProgram(prisma, { name: p.name, description: p.description, source: p.source, signature: description, signatureOnCreate: true });
    const active = await ensureActiveVersion(prisma, row.id, activeVersionPlan(p, JSON.parse(JSON.stringify(description)) as object));
    const seededDataset = options.seedDatasets !== false && (await seedDataset(prisma, p));
    programs.push({
      name: p.name,
      programId: row.id,
      createdInitialVersion: active.created,
      ...(active.changed !== undefined && { createdVersionForChange: active.changed }),
      activeVersionId: active.id,
      seededDataset,
    });
  }
  const served = new Set(registry.programs.map((p) => p.name));
  return { programs, unserved: (await programNames(prisma)).filter((n) => !served.has(n)) };
}

/** Version 1 from the defaults; after a change of the code's defaults, the active values with the new defaults over them. */
function activeVersionPlan(p: RegisteredProgram, signature: object): ActiveVersionPlan {
  return {
    signature,
    defaults: p.space.defaults() as Config,
    changed(storedSignature, before) {
      const changes = changedDefaults(storedSignature, p);
      if (changes === undefined) return undefined;
      const merged = mergeConfig(p.space, before, changes);
      const config = merged.ok ? merged.config : (p.space.defaults() as Config);
      if (jsonEqual(config as JsonValue, before as JsonValue)) return undefined;
      return { config, diff: diffConfigs(before, config, p.space), message: `${p.source} changed: ${Object.keys(changes).join(", ") || "variables removed"}` };
    },
  };
}

async function seedDataset(prisma: PrismaClient, p: RegisteredProgram): Promise<boolean> {
  if (p.dataset.length === 0) return false;
  if (await datasetExists(prisma, p.name)) return false;
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

/**
 * The variables whose default the code changed since the stored description (new variables
 * included), with their new defaults; {} when only variables were removed; undefined when nothing
 * changed or there is no stored description to compare with.
 */
function changedDefaults(stored: unknown, p: RegisteredProgram): Config | undefined {
  const variables = (stored as { variables?: unknown } | null)?.variables;
  if (!Array.isArray(variables)) return undefined;
  const before = new Map<string, unknown>();
  for (const v of variables as { name?: unknown; default?: unknown }[]) if (typeof v.name === "string") before.set(v.name, v.default);
  const changes: Record<string, JsonValue> = {};
  const now = p.space.toJSON();
  for (const v of now) {
    if (!before.has(v.name) || !jsonEqual(before.get(v.name) as JsonValue, v.default)) changes[v.name] = v.default;
  }
  const removed = [...before.keys()].some((name) => !now.some((v) => v.name === name));
  return Object.keys(changes).length > 0 || removed ? changes : undefined;
}
