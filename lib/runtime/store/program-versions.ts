// Immutable program versions: a configuration of the program's variables with its parent, author,
// message and diff. Exactly one version is active per program (Program.activeVersionId).
import type { Config, ConfigChange, VariableSpace } from "../../dspex";
import type { Prisma, PrismaClient } from "../../db";
import type { Page } from "../../schemas/pagination";
import {
  CreateProgramVersionSchema,
  ProgramNameSchema,
  ProgramVersionListQuerySchema,
  VersionDiffQuerySchema,
  type AuthorKind,
  type CreateProgramVersionInput,
  type ProgramVersionListQuery,
  type VersionDiffQuery,
} from "../../schemas/programs";
import { diffConfigs, mergeConfig } from "./config-merge";
import { ConflictError, InvalidInputError, NotFoundError } from "./errors";
import { toJson, toNullableJson } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";
import { retryOnUniqueViolation } from "./prisma-errors";

export interface ProgramVersionView {
  readonly id: string;
  readonly programId: string;
  readonly programName: string;
  readonly number: number;
  readonly parentId: string | null;
  readonly config: Config;
  /** Changes against the parent (empty for a first version). */
  readonly diff: readonly ConfigChange[];
  readonly authorKind: AuthorKind;
  readonly authorId: string | null;
  readonly message: string;
  readonly createdAt: string;
  readonly active: boolean;
}

export interface ActivationResult {
  readonly programName: string;
  readonly active: ProgramVersionView;
  /** The version active before, if any. */
  readonly previousId: string | null;
  /** Who made it active (a person or an API key, as shown), when known. */
  readonly activatedBy: string | null;
}

export interface VersionDiff {
  readonly from: { readonly id: string; readonly number: number };
  readonly to: { readonly id: string; readonly number: number };
  readonly changes: readonly ConfigChange[];
}

const versionSelect = {
  id: true,
  programId: true,
  number: true,
  parentId: true,
  config: true,
  diff: true,
  authorKind: true,
  authorId: true,
  message: true,
  createdAt: true,
  program: { select: { name: true, activeVersionId: true } },
} satisfies Prisma.ProgramVersionSelect;

type VersionRow = Prisma.ProgramVersionGetPayload<{ select: typeof versionSelect }>;
type Tx = Prisma.TransactionClient;

function toView(row: VersionRow, activeVersionId = row.program.activeVersionId): ProgramVersionView {
  return {
    id: row.id,
    programId: row.programId,
    programName: row.program.name,
    number: row.number,
    parentId: row.parentId,
    config: (row.config ?? {}) as Config,
    diff: (row.diff ?? []) as unknown as ConfigChange[],
    authorKind: row.authorKind,
    authorId: row.authorId,
    message: row.message,
    createdAt: row.createdAt.toISOString(),
    active: activeVersionId === row.id,
  };
}

async function requireProgram(db: Tx | PrismaClient, name: string) {
  const program = await db.program.findUnique({ where: { name }, select: { id: true, name: true, activeVersionId: true } });
  if (!program) throw new NotFoundError("program", name, "programName");
  return program;
}

/**
 * Creates a version from the variables given (the rest keep the parent's values), validated by
 * the program's variable space. The parent is `parentId` or else the active version.
 * Errors: NOT_FOUND (program, parent), INVALID (each variable at fault, as `config.<name>`).
 */
export async function createProgramVersion(prisma: PrismaClient, space: VariableSpace, input: CreateProgramVersionInput): Promise<ProgramVersionView> {
  const q = parseInput(CreateProgramVersionSchema, input, "program version");
  const changes = q.config as Config;
  return retryOnUniqueViolation(() =>
    prisma.$transaction(async (tx) => {
      const program = await requireProgram(tx, q.programName);
      const parentId = q.parentId ?? program.activeVersionId;
      const parent = parentId ? await tx.programVersion.findUnique({ where: { id: parentId }, select: { id: true, programId: true, config: true } }) : null;
      if (q.parentId && (!parent || parent.programId !== program.id)) {
        throw new NotFoundError(`version of program "${program.name}"`, q.parentId, "parentId");
      }
      const base = (parent?.config ?? {}) as Config;
      const merged = mergeConfig(space, base, changes);
      if (!merged.ok) throw new InvalidInputError(`program "${program.name}": invalid configuration`, merged.issues);
      const diff = parent ? diffConfigs(base, merged.config, space) : [];
      const last = await tx.programVersion.aggregate({ where: { programId: program.id }, _max: { number: true } });
      const created = await tx.programVersion.create({
        data: {
          programId: program.id,
          number: (last._max.number ?? 0) + 1,
          parentId: parent?.id ?? null,
          config: toJson(merged.config),
          diff: toNullableJson(diff),
          authorKind: q.authorKind,
          authorId: q.authorId ?? null,
          message: q.message,
        },
        select: versionSelect,
      });
      if (q.activate) {
        await tx.program.update({ where: { id: program.id }, data: { activeVersionId: created.id } });
        await recordActivation(tx, program.id, created.id, program.activeVersionId, false);
      }
      return toView(created, q.activate ? created.id : program.activeVersionId);
    }),
  );
}

/** Makes a version the active one of its program. Errors: NOT_FOUND. */
export async function promoteVersion(prisma: PrismaClient, versionId: string, by?: string): Promise<ActivationResult> {
  return prisma.$transaction(async (tx) => {
    const version = await tx.programVersion.findUnique({ where: { id: versionId }, select: versionSelect });
    if (!version) throw new NotFoundError("program version", versionId, "versionId");
    return activate(tx, version, { by });
  });
}

/**
 * Activates the version that was active before the current one was promoted (successive
 * rollbacks keep stepping back through the promotions). A program whose activations were never
 * recorded (databases from before the activation log) falls back to the active version's parent.
 * Errors: NOT_FOUND (program), CONFLICT (no active version, or nothing to return to).
 */
export async function rollbackProgram(prisma: PrismaClient, programName: string, by?: string): Promise<ActivationResult> {
  const name = parseInput(ProgramNameSchema, programName, "rollback");
  return prisma.$transaction(async (tx) => {
    const program = await requireProgram(tx, name);
    const step = await rollbackStep(tx, program);
    if ("refused" in step) throw new ConflictError(step.refused, "programName");
    const target = await tx.programVersion.findUniqueOrThrow({ where: { id: step.targetId }, select: versionSelect });
    return activate(tx, target, { rollback: true, by });
  });
}

/** The version a rollback would activate now (null: a rollback would be refused). Errors: NOT_FOUND (program). */
export async function rollbackTarget(prisma: PrismaClient, programName: string): Promise<{ readonly id: string; readonly number: number } | null> {
  const program = await requireProgram(prisma, programName);
  const step = await rollbackStep(prisma, program);
  if ("refused" in step) return null;
  return prisma.programVersion.findUniqueOrThrow({ where: { id: step.targetId }, select: { id: true, number: true } });
}

async function rollbackStep(db: Tx | PrismaClient, program: { readonly id: string; readonly name: string; readonly activeVersionId: string | null }): Promise<{ readonly targetId: string } | { readonly refused: string }> {
  const activeId = program.activeVersionId;
  if (!activeId) return { refused: `program "${program.name}" has no active version to roll back` };
  const active = await db.programVersion.findUniqueOrThrow({ where: { id: activeId }, select: { number: true, parentId: true } });
  const promoted = await db.programActivation.findFirst({ where: { programId: program.id, versionId: activeId, rollback: false }, orderBy: { createdAt: "desc" }, select: { previousVersionId: true } });
  const targetId = promoted ? promoted.previousVersionId : active.parentId;
  if (targetId && targetId !== activeId) return { targetId };
  const why = promoted ? "was the first version made active" : "has no parent";
  return { refused: `program "${program.name}": version ${active.number} ${why}, so there is nothing to roll back to; promote a version instead` };
}

function recordActivation(tx: Tx, programId: string, versionId: string, previousVersionId: string | null, rollback: boolean) {
  return tx.programActivation.create({ data: { programId, versionId, previousVersionId, rollback }, select: { id: true } });
}

async function activate(tx: Tx, version: VersionRow, options: { readonly rollback?: boolean; readonly by?: string | undefined } = {}): Promise<ActivationResult> {
  const previousId = version.program.activeVersionId;
  const by = options.by ?? null;
  await tx.program.update({ where: { id: version.programId }, data: { activeVersionId: version.id, activatedBy: by, activatedAt: new Date() } });
  if (previousId !== version.id) await recordActivation(tx, version.programId, version.id, previousId, options.rollback === true);
  return { programName: version.program.name, active: toView(version, version.id), previousId, activatedBy: by };
}

/** A program's versions, newest first. Errors: NOT_FOUND (program), INVALID (query). */
export async function listProgramVersions(prisma: PrismaClient, query: ProgramVersionListQuery): Promise<Page<ProgramVersionView>> {
  const q = parseInput(ProgramVersionListQuerySchema, query, "version list");
  const program = await requireProgram(prisma, q.programName);
  const where = { programId: program.id };
  return readPage(
    prisma,
    q,
    (w) => prisma.programVersion.findMany({ where, orderBy: { number: "desc" }, select: versionSelect, ...w }),
    () => prisma.programVersion.count({ where }),
    (row) => toView(row),
  );
}

export async function getProgramVersion(prisma: PrismaClient, versionId: string): Promise<ProgramVersionView> {
  const row = await prisma.programVersion.findUnique({ where: { id: versionId }, select: versionSelect });
  if (!row) throw new NotFoundError("program version", versionId, "versionId");
  return toView(row);
}

/** The active version of a program. Errors: NOT_FOUND (program, or it has no active version). */
export async function getActiveVersion(prisma: PrismaClient, programName: string): Promise<ProgramVersionView> {
  const program = await requireProgram(prisma, programName);
  if (!program.activeVersionId) throw new NotFoundError(`active version of program`, programName, "programName");
  return getProgramVersion(prisma, program.activeVersionId);
}

/**
 * What changed from one version to another (any two versions of the same program).
 * Errors: NOT_FOUND (either version), INVALID (versions of different programs).
 */
export async function diffProgramVersions(prisma: PrismaClient, query: VersionDiffQuery, space?: VariableSpace): Promise<VersionDiff> {
  const q = parseInput(VersionDiffQuerySchema, query, "version diff");
  const [from, to] = await prisma.$transaction([
    prisma.programVersion.findUnique({ where: { id: q.from }, select: versionSelect }),
    prisma.programVersion.findUnique({ where: { id: q.to }, select: versionSelect }),
  ]);
  if (!from) throw new NotFoundError("program version", q.from, "from");
  if (!to) throw new NotFoundError("program version", q.to, "to");
  if (from.programId !== to.programId) {
    throw new InvalidInputError("version diff", [{ field: "to", message: `is a version of "${to.program.name}", not of "${from.program.name}"; compare versions of one program` }]);
  }
  return {
    from: { id: from.id, number: from.number },
    to: { id: to.id, number: to.number },
    changes: diffConfigs((from.config ?? {}) as Config, (to.config ?? {}) as Config, space),
  };
}
