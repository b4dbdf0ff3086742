// Experiments: versions of one program run on the same examples, results stored per example and
// version. Aggregates (mean, interval, latency, better/worse than the baseline) are computed on read
// from the results, so a running experiment shows what it has so far.
import type { PrismaClient } from "../../db";
import {
  CreateExperimentBodySchema,
  ExperimentListQuerySchema,
  type CreateExperimentBody,
  type Experiment,
  type ExperimentCell,
  type ExperimentDetail,
  type ExperimentListQuery,
  type ExperimentPage,
  type ExperimentRow,
  type ExperimentStatus,
  type ExperimentVersionSummary,
  type ExampleSplit,
} from "../../schemas";
import type { Example } from "../../dspex";
import { InvalidInputError, NotFoundError } from "./errors";
import { toJson, toNullableJson } from "./json";
import { parseInput } from "./parse-input";

type ExperimentRowDb = {
  id: string;
  programName: string;
  datasetVersionId: string;
  split: string;
  versionIds: string[];
  status: string;
  error: string | null;
  examples: number;
  createdAt: Date;
  finishedAt: Date | null;
};
type ResultDb = { versionId: string; exampleId: string; position: number; input: unknown; expected: unknown; output: unknown; score: number | null; error: string | null; runId: string | null; costUsd: number; latencyMs: number };

const SAME = 1e-9;

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function summarize(versionIds: readonly string[], numbers: ReadonlyMap<string, number>, results: readonly ResultDb[]): ExperimentVersionSummary[] {
  const byVersion = new Map<string, Map<string, ResultDb>>(versionIds.map((v) => [v, new Map()]));
  for (const r of results) byVersion.get(r.versionId)?.set(r.exampleId, r);
  const baseline = byVersion.get(versionIds[0]!)!;
  return versionIds.map((versionId) => {
    const rows = [...byVersion.get(versionId)!.values()];
    const scores = rows.map((r) => r.score ?? 0);
    const n = scores.length;
    const mean = n ? scores.reduce((a, b) => a + b, 0) / n : null;
    const sd = n > 1 && mean !== null ? Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (n - 1)) : 0;
    const half = n > 1 ? (1.96 * sd) / Math.sqrt(n) : 0;
    const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
    let better = 0;
    let worse = 0;
    let same = 0;
    for (const r of rows) {
      const base = baseline.get(r.exampleId);
      if (!base) continue;
      const d = (r.score ?? 0) - (base.score ?? 0);
      if (d > SAME) better++;
      else if (d < -SAME) worse++;
      else same++;
    }
    return {
      versionId,
      number: numbers.get(versionId) ?? 0,
      examples: n,
      errors: rows.filter((r) => r.error !== null).length,
      mean,
      ci95: mean === null ? null : [Math.max(0, mean - half), mean + half],
      costUsd: Math.round(rows.reduce((a, r) => a + r.costUsd, 0) * 1e9) / 1e9,
      latencyP50Ms: quantile(latencies, 0.5),
      latencyP95Ms: quantile(latencies, 0.95),
      better,
      worse,
      same,
    };
  });
}

async function describe(prisma: PrismaClient, row: ExperimentRowDb, results: readonly ResultDb[]): Promise<Experiment> {
  const [versions, dataset] = await Promise.all([
    prisma.programVersion.findMany({ where: { id: { in: row.versionIds } }, select: { id: true, number: true } }),
    prisma.datasetVersion.findUnique({ where: { id: row.datasetVersionId }, select: { number: true, dataset: { select: { name: true } } } }),
  ]);
  const numbers = new Map(versions.map((v) => [v.id, v.number]));
  return {
    id: row.id,
    programName: row.programName,
    datasetVersionId: row.datasetVersionId,
    datasetName: dataset?.dataset.name ?? "(deleted)",
    datasetVersion: dataset?.number ?? 0,
    split: row.split as ExampleSplit,
    status: row.status as ExperimentStatus,
    error: row.error,
    examples: row.examples,
    versions: summarize(row.versionIds, numbers, results),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

const sameOutput = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Records an experiment to run: the program's versions by number, the dataset version and split
 * (validation by default, train when the version has no validation examples). Errors: NOT_FOUND
 * (program, a version, the dataset version), INVALID (body; a split without examples).
 */
export async function createExperiment(prisma: PrismaClient, input: CreateExperimentBody): Promise<Experiment> {
  const q = parseInput(CreateExperimentBodySchema, input, "experiment");
  const program = await prisma.program.findUnique({ where: { name: q.program }, select: { id: true, name: true } });
  if (!program) throw new NotFoundError("program", q.program, "program");
  const versions = await prisma.programVersion.findMany({ where: { programId: program.id, number: { in: q.versions } }, select: { id: true, number: true } });
  const missing = q.versions.findIndex((n) => !versions.some((v) => v.number === n));
  if (missing >= 0) throw new NotFoundError(`version of "${program.name}"`, String(q.versions[missing]), `versions.${missing}`);
  const dataset = await prisma.datasetVersion.findUnique({ where: { id: q.datasetVersionId }, select: { id: true } });
  if (!dataset) throw new NotFoundError("dataset version", q.datasetVersionId, "datasetVersionId");
  const counts = await prisma.example.groupBy({ by: ["split"], where: { datasetVersionId: dataset.id }, _count: { _all: true }, orderBy: { split: "asc" } });
  const count = (s: ExampleSplit) => {
    const c = counts.find((x) => x.split === s)?._count;
    return typeof c === "object" && c ? (c._all ?? 0) : 0;
  };
  const split: ExampleSplit = q.split ?? (count("validation") > 0 ? "validation" : "train");
  if (count(split) === 0) throw new InvalidInputError("experiment", [{ field: "split", message: `the dataset version has no ${split} examples` }]);
  const row = await prisma.experiment.create({
    data: { programId: program.id, programName: program.name, datasetVersionId: dataset.id, split, versionIds: q.versions.map((n) => versions.find((v) => v.number === n)!.id), examples: Math.min(q.limit, count(split)) },
  });
  return describe(prisma, row, []);
}

/** An experiment with its results side by side, one row per example. Errors: NOT_FOUND. */
export async function getExperiment(prisma: PrismaClient, id: string): Promise<ExperimentDetail> {
  const row = await prisma.experiment.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("experiment", id);
  const results = await prisma.experimentResult.findMany({ where: { experimentId: id }, orderBy: [{ position: "asc" }] });
  const experiment = await describe(prisma, row, results);
  const byExample = new Map<string, ResultDb[]>();
  for (const r of results) byExample.set(r.exampleId, [...(byExample.get(r.exampleId) ?? []), r]);
  const rows: ExperimentRow[] = [...byExample.values()].map((group) => {
    const first = group[0]!;
    const cells: (ExperimentCell | null)[] = row.versionIds.map((v) => {
      const r = group.find((g) => g.versionId === v);
      return r ? { versionId: v, output: r.output, score: r.score, error: r.error, runId: r.runId, costUsd: r.costUsd, latencyMs: r.latencyMs } : null;
    });
    const done = cells.filter((c): c is ExperimentCell => c !== null);
    const differs = done.some((c) => Math.abs((c.score ?? 0) - (done[0]!.score ?? 0)) > SAME || !sameOutput(c.output, done[0]!.output) || (c.error !== null) !== (done[0]!.error !== null));
    return { exampleId: first.exampleId, position: first.position, input: first.input, expected: first.expected, cells, differs };
  });
  return { ...experiment, rows };
}

/** Experiments newest first (of one program when given), with their aggregates. */
export async function listExperiments(prisma: PrismaClient, query: ExperimentListQuery = {}): Promise<ExperimentPage> {
  const q = parseInput(ExperimentListQuerySchema, query, "experiment list query");
  const where = q.program ? { programName: q.program } : {};
  const [rows, total] = await prisma.$transaction([prisma.experiment.findMany({ where, orderBy: { createdAt: "desc" }, skip: (q.page - 1) * q.limit, take: q.limit }), prisma.experiment.count({ where })]);
  const results = rows.length
    ? await prisma.experimentResult.findMany({ where: { experimentId: { in: rows.map((r) => r.id) } }, select: { experimentId: true, versionId: true, exampleId: true, position: true, score: true, error: true, costUsd: true, latencyMs: true } })
    : [];
  const items = await Promise.all(rows.map((r) => describe(prisma, r, results.filter((x) => x.experimentId === r.id).map((x) => ({ ...x, input: null, expected: null, output: null, runId: null })))));
  return { items, total, page: q.page, limit: q.limit };
}

/** What a run of the experiment needs: its program, versions and examples. Errors: NOT_FOUND. */
export async function experimentPlan(prisma: PrismaClient, id: string): Promise<{ readonly programName: string; readonly programId: string; readonly versionIds: readonly string[]; readonly status: ExperimentStatus; readonly examples: readonly (Example & { readonly position: number })[]; readonly done: ReadonlySet<string> }> {
  const row = await prisma.experiment.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("experiment", id);
  const [examples, done] = await Promise.all([
    prisma.example.findMany({ where: { datasetVersionId: row.datasetVersionId, split: row.split as ExampleSplit }, orderBy: { position: "asc" }, take: row.examples }),
    prisma.experimentResult.findMany({ where: { experimentId: id }, select: { versionId: true, exampleId: true } }),
  ]);
  return {
    programName: row.programName,
    programId: row.programId,
    versionIds: row.versionIds,
    status: row.status as ExperimentStatus,
    examples: examples.map((e) => ({ id: e.id, position: e.position, inputs: e.inputs as Record<string, unknown>, outputs: e.outputs as Record<string, unknown> })),
    done: new Set(done.map((d) => `${d.versionId}/${d.exampleId}`)),
  };
}

export async function setExperimentStatus(prisma: PrismaClient, id: string, status: ExperimentStatus, error: string | null = null): Promise<void> {
  const finished = status === "completed" || status === "failed";
  await prisma.experiment.updateMany({ where: { id }, data: { status, error: error?.slice(0, 2000) ?? null, ...(finished && { finishedAt: new Date() }) } });
}

export interface NewExperimentResult {
  readonly versionId: string;
  readonly exampleId: string;
  readonly position: number;
  readonly input: unknown;
  readonly expected: unknown;
  readonly output: unknown;
  readonly score: number | null;
  readonly error: string | null;
  readonly runId: string | null;
  readonly costUsd: number;
  readonly latencyMs: number;
}

/** Stores one example's result (again: the first is kept). */
export async function recordExperimentResult(prisma: PrismaClient, experimentId: string, r: NewExperimentResult): Promise<void> {
  await prisma.experimentResult.createMany({
    data: [{ experimentId, versionId: r.versionId, exampleId: r.exampleId, position: r.position, input: toJson(r.input), expected: toNullableJson(r.expected), output: toNullableJson(r.output), score: r.score, error: r.error?.slice(0, 2000) ?? null, runId: r.runId, costUsd: r.costUsd, latencyMs: Math.round(r.latencyMs) }],
    skipDuplicates: true,
  });
}
