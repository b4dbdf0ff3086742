// Programs as the server knows them: one row per served program, upserted at start-up.
import type { Prisma, PrismaClient } from "../../db";
import type { Page } from "../../schemas/pagination";
import { ProgramListQuerySchema, ProgramNameSchema, type ProgramListQuery } from "../../schemas/programs";
import { NotFoundError } from "./errors";
import { toNullableJson } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";
import { retryOnUniqueViolation } from "./prisma-errors";

export interface ProgramSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Where the code lives: "demo:<name>" for a bundled demo, "programs/<file>" for a user program. */
  readonly source: string;
  readonly signature: unknown;
  readonly activeVersion: { readonly id: string; readonly number: number } | null;
  readonly versionCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UpsertProgramInput {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  /** Signature, module tree and variables, for display. */
  readonly signature: unknown;
  /** Write the signature only when the row is created (a sync compares the stored one first). */
  readonly signatureOnCreate?: boolean;
}

const summarySelect = {
  id: true,
  name: true,
  description: true,
  source: true,
  signature: true,
  createdAt: true,
  updatedAt: true,
  activeVersion: { select: { id: true, number: true } },
  _count: { select: { versions: true } },
} satisfies Prisma.ProgramSelect;

type SummaryRow = Prisma.ProgramGetPayload<{ select: typeof summarySelect }>;

function toSummary(row: SummaryRow): ProgramSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    source: row.source,
    signature: row.signature,
    activeVersion: row.activeVersion,
    versionCount: row._count.versions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Creates or refreshes a program row (by name); versions are left alone. */
export async function upsertProgram(prisma: PrismaClient, input: UpsertProgramInput): Promise<ProgramSummary> {
  const name = parseInput(ProgramNameSchema, input.name, "program");
  const data = { description: input.description, source: input.source, signature: toNullableJson(input.signature) };
  const update = input.signatureOnCreate ? { description: data.description, source: data.source } : data;
  // Prisma's upsert reads then writes: two servers starting together may race; the loser retries as an update.
  const row = await retryOnUniqueViolation(() => prisma.program.upsert({ where: { name }, create: { name, ...data }, update, select: summarySelect }), 3);
  return toSummary(row);
}

export async function listPrograms(prisma: PrismaClient, query: ProgramListQuery = {}): Promise<Page<ProgramSummary>> {
  const q = parseInput(ProgramListQuerySchema, query, "program list");
  const where: Prisma.ProgramWhereInput = q.search ? { name: { contains: q.search, mode: "insensitive" } } : {};
  return readPage(
    prisma,
    q,
    (w) => prisma.program.findMany({ where, orderBy: { name: "asc" }, select: summarySelect, ...w }),
    () => prisma.program.count({ where }),
    toSummary,
  );
}

export async function getProgram(prisma: PrismaClient, name: string): Promise<ProgramSummary> {
  const row = await prisma.program.findUnique({ where: { name }, select: summarySelect });
  if (!row) throw new NotFoundError("program", name, "programName");
  return toSummary(row);
}
