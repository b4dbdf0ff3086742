// Versioned datasets: a dataset holds numbered versions; each version holds its examples, in
// order, each in a split (train, validation, test). Versions never change once written.
import { createRng, type Example, type Signature } from "../../dspex";
import type { Prisma, PrismaClient } from "../../db";
import {
  CreateDatasetSchema,
  CreateDatasetVersionSchema,
  DatasetListQuerySchema,
  DatasetVersionListQuerySchema,
  ExampleListQuerySchema,
  SplitDatasetSchema,
  type CreateDatasetInput,
  type CreateDatasetVersionInput,
  type DatasetImportOptions,
  type DatasetListQuery,
  type DatasetVersionListQuery,
  type ExampleListQuery,
  type ExampleSplit,
  type SplitDatasetInput,
} from "../../schemas/datasets";
import type { Page } from "../../schemas/pagination";
import { parseDatasetFile } from "./dataset-import";
import { ConflictError, DatasetImportError, NotFoundError } from "./errors";
import { toJson } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";
import { isUniqueViolation, retryOnUniqueViolation } from "./prisma-errors";

export interface DatasetView {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly latestVersion: { readonly id: string; readonly number: number; readonly exampleCount: number } | null;
  readonly versionCount: number;
  readonly createdAt: string;
}

export type SplitCounts = Readonly<Record<ExampleSplit, number>>;

export interface DatasetVersionView {
  readonly id: string;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly number: number;
  readonly parentId: string | null;
  readonly message: string;
  readonly exampleCount: number;
  readonly splits: SplitCounts;
  readonly createdAt: string;
}

export interface ExampleView {
  readonly id: string;
  readonly position: number;
  readonly split: ExampleSplit;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

/** A version's examples by split, in the framework's Example shape (for evaluations and optimizations). */
export interface DatasetSplits {
  readonly train: readonly Example[];
  readonly validation: readonly Example[];
  readonly test: readonly Example[];
}

const INSERT_CHUNK = 1000;
const LONG_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

const datasetSelect = {
  id: true,
  name: true,
  description: true,
  createdAt: true,
  versions: { orderBy: { number: "desc" }, take: 1, select: { id: true, number: true, exampleCount: true } },
  _count: { select: { versions: true } },
} satisfies Prisma.DatasetSelect;

const versionSelect = {
  id: true,
  datasetId: true,
  number: true,
  parentId: true,
  message: true,
  exampleCount: true,
  createdAt: true,
  dataset: { select: { name: true } },
} satisfies Prisma.DatasetVersionSelect;

type DatasetRow = Prisma.DatasetGetPayload<{ select: typeof datasetSelect }>;
type VersionRow = Prisma.DatasetVersionGetPayload<{ select: typeof versionSelect }>;
type Db = PrismaClient | Prisma.TransactionClient;

function toDatasetView(row: DatasetRow): DatasetView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    latestVersion: row.versions[0] ?? null,
    versionCount: row._count.versions,
    createdAt: row.createdAt.toISOString(),
  };
}

function toVersionView(row: VersionRow, splits: SplitCounts): DatasetVersionView {
  return {
    id: row.id,
    datasetId: row.datasetId,
    datasetName: row.dataset.name,
    number: row.number,
    parentId: row.parentId,
    message: row.message,
    exampleCount: row.exampleCount,
    splits,
    createdAt: row.createdAt.toISOString(),
  };
}

async function splitCounts(db: Db, versionIds: readonly string[]): Promise<Map<string, SplitCounts>> {
  const groups = await db.example.groupBy({ by: ["datasetVersionId", "split"], where: { datasetVersionId: { in: [...versionIds] } }, _count: { _all: true } });
  const out = new Map<string, { train: number; validation: number; test: number }>();
  for (const id of versionIds) out.set(id, { train: 0, validation: 0, test: 0 });
  for (const g of groups) out.get(g.datasetVersionId)![g.split] = g._count._all;
  return out;
}

/** Errors: CONFLICT (the name is taken), INVALID. */
export async function createDataset(prisma: PrismaClient, input: CreateDatasetInput): Promise<DatasetView> {
  const q = parseInput(CreateDatasetSchema, input, "dataset");
  try {
    const row = await prisma.dataset.create({ data: { name: q.name, description: q.description }, select: datasetSelect });
    return toDatasetView(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a dataset named "${q.name}" already exists; choose another name or add a version to it`, "name");
    throw err;
  }
}

export async function getDataset(prisma: PrismaClient, name: string): Promise<DatasetView> {
  const row = await prisma.dataset.findUnique({ where: { name }, select: datasetSelect });
  if (!row) throw new NotFoundError("dataset", name, "datasetName");
  return toDatasetView(row);
}

export async function listDatasets(prisma: PrismaClient, query: DatasetListQuery = {}): Promise<Page<DatasetView>> {
  const q = parseInput(DatasetListQuerySchema, query, "dataset list");
  const where: Prisma.DatasetWhereInput = q.search ? { name: { contains: q.search, mode: "insensitive" } } : {};
  return readPage(
    prisma,
    q,
    (w) => prisma.dataset.findMany({ where, orderBy: { name: "asc" }, select: datasetSelect, ...w }),
    () => prisma.dataset.count({ where }),
    toDatasetView,
  );
}

interface NewExample {
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly split: ExampleSplit;
}

/** Writes a version and its examples in one transaction; numbers come from the latest version. */
async function writeVersion(
  prisma: PrismaClient,
  datasetName: string,
  examples: readonly NewExample[],
  message: string,
  parentId: string | undefined,
): Promise<DatasetVersionView> {
  return retryOnUniqueViolation(() =>
    prisma.$transaction(async (tx) => {
      const dataset = await tx.dataset.findUnique({ where: { name: datasetName }, select: { id: true } });
      if (!dataset) throw new NotFoundError("dataset", datasetName, "datasetName");
      const latest = await tx.datasetVersion.findFirst({ where: { datasetId: dataset.id }, orderBy: { number: "desc" }, select: { id: true, number: true } });
      if (parentId) {
        const parent = await tx.datasetVersion.findUnique({ where: { id: parentId }, select: { datasetId: true } });
        if (!parent || parent.datasetId !== dataset.id) throw new NotFoundError(`version of dataset "${datasetName}"`, parentId, "parentId");
      }
      const version = await tx.datasetVersion.create({
        data: { datasetId: dataset.id, number: (latest?.number ?? 0) + 1, parentId: parentId ?? latest?.id ?? null, message, exampleCount: examples.length },
        select: versionSelect,
      });
      for (let start = 0; start < examples.length; start += INSERT_CHUNK) {
        await tx.example.createMany({
          data: examples.slice(start, start + INSERT_CHUNK).map((e, i) => ({
            datasetVersionId: version.id,
            position: start + i,
            split: e.split,
            inputs: toJson(e.inputs),
            outputs: toJson(e.outputs),
          })),
        });
      }
      await tx.dataset.update({ where: { id: dataset.id }, data: { updatedAt: new Date() } });
      const counts = { train: 0, validation: 0, test: 0 };
      for (const e of examples) counts[e.split]++;
      return toVersionView(version, counts);
    }, LONG_TRANSACTION),
  );
}

/**
 * Adds a version holding these examples (in order, each with its split).
 * Errors: NOT_FOUND (dataset, parent), INVALID (each example field at fault, e.g. `examples.3.split`).
 */
export async function createDatasetVersion(prisma: PrismaClient, input: CreateDatasetVersionInput): Promise<DatasetVersionView> {
  const q = parseInput(CreateDatasetVersionSchema, input, "dataset version");
  return writeVersion(prisma, q.datasetName, q.examples, q.message, q.parentId);
}

/**
 * Parses a JSONL or CSV file (see parseDatasetFile) and stores its rows as a new version, all or
 * nothing. Errors: DatasetImportError (INVALID, every bad row with its line and field), NOT_FOUND.
 */
export async function importDatasetFile(
  prisma: PrismaClient,
  input: { readonly datasetName: string; readonly text: string; readonly options: DatasetImportOptions; readonly signature?: Signature; readonly message?: string },
): Promise<DatasetVersionView> {
  const parsed = parseDatasetFile(input.text, input.options, input.signature);
  if (!parsed.ok) throw new DatasetImportError(parsed.errors, parsed.errorCount);
  const examples = parsed.examples.map(({ inputs, outputs, split }) => ({ inputs: inputs as never, outputs: outputs as never, split }));
  return createDatasetVersion(prisma, { datasetName: input.datasetName, examples, message: input.message ?? `imported ${input.options.format.toUpperCase()}: ${examples.length} examples` });
}

export async function getDatasetVersion(prisma: PrismaClient, versionId: string): Promise<DatasetVersionView> {
  const row = await prisma.datasetVersion.findUnique({ where: { id: versionId }, select: versionSelect });
  if (!row) throw new NotFoundError("dataset version", versionId, "versionId");
  return toVersionView(row, (await splitCounts(prisma, [row.id])).get(row.id)!);
}

/** A dataset's versions, newest first. */
export async function listDatasetVersions(prisma: PrismaClient, query: DatasetVersionListQuery): Promise<Page<DatasetVersionView>> {
  const q = parseInput(DatasetVersionListQuerySchema, query, "dataset version list");
  const dataset = await prisma.dataset.findUnique({ where: { name: q.datasetName }, select: { id: true } });
  if (!dataset) throw new NotFoundError("dataset", q.datasetName, "datasetName");
  const where = { datasetId: dataset.id };
  const page = await readPage(
    prisma,
    q,
    (w) => prisma.datasetVersion.findMany({ where, orderBy: { number: "desc" }, select: versionSelect, ...w }),
    () => prisma.datasetVersion.count({ where }),
    (row) => row,
  );
  const counts = await splitCounts(prisma, page.items.map((r) => r.id));
  return { ...page, items: page.items.map((row) => toVersionView(row, counts.get(row.id)!)) };
}

/** A version's examples in order, optionally of one split. Errors: NOT_FOUND (version). */
export async function listExamples(prisma: PrismaClient, query: ExampleListQuery): Promise<Page<ExampleView>> {
  const q = parseInput(ExampleListQuerySchema, query, "example list");
  const version = await prisma.datasetVersion.findUnique({ where: { id: q.versionId }, select: { id: true } });
  if (!version) throw new NotFoundError("dataset version", q.versionId, "versionId");
  const where: Prisma.ExampleWhereInput = { datasetVersionId: q.versionId, ...(q.split ? { split: q.split } : {}) };
  return readPage(
    prisma,
    q,
    (w) => prisma.example.findMany({ where, orderBy: { position: "asc" }, select: { id: true, position: true, split: true, inputs: true, outputs: true }, ...w }),
    () => prisma.example.count({ where }),
    (row) => ({ ...row, inputs: row.inputs as Record<string, unknown>, outputs: row.outputs as Record<string, unknown> }),
  );
}

/** Every example of a version by split, as framework Examples (id = the example row id). */
export async function loadDatasetSplits(prisma: PrismaClient, versionId: string): Promise<DatasetSplits> {
  const version = await prisma.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } });
  if (!version) throw new NotFoundError("dataset version", versionId, "versionId");
  const rows = await prisma.example.findMany({ where: { datasetVersionId: versionId }, orderBy: { position: "asc" } });
  const out: Record<ExampleSplit, Example[]> = { train: [], validation: [], test: [] };
  for (const r of rows) out[r.split].push({ id: r.id, inputs: r.inputs as Record<string, unknown>, outputs: r.outputs as Record<string, unknown> });
  return out;
}

/**
 * A new version with the same examples (same order) re-split at random, reproducibly from the
 * seed: `testFraction` of them to test, `validationFraction` to validation, the rest to train.
 * A non-zero fraction always gets at least one example. Errors: NOT_FOUND, INVALID.
 */
export async function splitDataset(prisma: PrismaClient, versionId: string, options: SplitDatasetInput): Promise<DatasetVersionView> {
  const q = parseInput(SplitDatasetSchema, options, "dataset split");
  const source = await prisma.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true, number: true, dataset: { select: { name: true } } } });
  if (!source) throw new NotFoundError("dataset version", versionId, "versionId");
  const rows = await prisma.example.findMany({ where: { datasetVersionId: versionId }, orderBy: { position: "asc" }, select: { inputs: true, outputs: true } });
  const splits = assignSplits(rows.length, q.validationFraction, q.testFraction, q.seed);
  const examples = rows.map((r, i) => ({ inputs: r.inputs, outputs: r.outputs, split: splits[i]! }));
  const message = q.message ?? `split of v${source.number}: ${pct(q.validationFraction)} validation, ${pct(q.testFraction)} test, seed ${q.seed}`;
  return writeVersion(prisma, source.dataset.name, examples, message, source.id);
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

/** The split of each of n examples: a seeded shuffle, the first ones to test, then validation. */
export function assignSplits(n: number, validationFraction: number, testFraction: number, seed: number): ExampleSplit[] {
  const count = (f: number) => (f > 0 ? Math.max(1, Math.round(n * f)) : 0);
  const nTest = Math.min(count(testFraction), Math.max(0, n - 1));
  const nVal = Math.min(count(validationFraction), Math.max(0, n - 1 - nTest));
  const order = createRng(seed).fork("dataset-split").shuffle(Array.from({ length: n }, (_, i) => i));
  const out: ExampleSplit[] = new Array<ExampleSplit>(n).fill("train");
  order.forEach((index, rank) => {
    if (rank < nTest) out[index] = "test";
    else if (rank < nTest + nVal) out[index] = "validation";
  });
  return out;
}

/** Creates the dataset unless one with that name exists; answers whether it created it. */
export async function ensureDataset(prisma: PrismaClient, input: CreateDatasetInput): Promise<boolean> {
  const existing = await prisma.dataset.findUnique({ where: { name: input.name }, select: { id: true } });
  if (existing) return false;
  await createDataset(prisma, input);
  return true;
}

export interface DatasetVersionChoice {
  readonly id: string;
  readonly datasetName: string;
  readonly number: number;
  readonly exampleCount: number;
  readonly createdAt: string;
}

/** The newest dataset versions of every dataset, newest first. */
export async function listRecentDatasetVersions(prisma: PrismaClient, limit: number): Promise<DatasetVersionChoice[]> {
  const versions = await prisma.datasetVersion.findMany({
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    take: limit,
    select: { id: true, number: true, exampleCount: true, createdAt: true, dataset: { select: { name: true } } },
  });
  return versions.map((v) => ({ id: v.id, datasetName: v.dataset.name, number: v.number, exampleCount: v.exampleCount, createdAt: v.createdAt.toISOString() }));
}

/** The id of a dataset's newest version, or null (no such dataset, or no version yet). */
export async function latestDatasetVersionId(prisma: PrismaClient, datasetName: string): Promise<string | null> {
  const latest = await prisma.datasetVersion.findFirst({ where: { dataset: { name: datasetName } }, orderBy: { number: "desc" }, select: { id: true } });
  return latest?.id ?? null;
}

export async function datasetVersionExists(prisma: PrismaClient, id: string): Promise<boolean> {
  return (await prisma.datasetVersion.findUnique({ where: { id }, select: { id: true } })) !== null;
}
