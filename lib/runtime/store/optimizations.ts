// Optimizations (one launch of an optimizer on a program) and their trials.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../../db";
import {
  CreateOptimizationSchema,
  OptimizationListQuerySchema,
  SetOptimizationStatusSchema,
  TrialListQuerySchema,
  type CreateOptimizationInput,
  type OptimizationListQuery,
  type OptimizationStatusName,
  type SetOptimizationStatusInput,
  type TrialListQuery,
} from "../../schemas/optimizations";
import type { Page } from "../../schemas/pagination";
import { ConflictError, NotFoundError } from "./errors";
import { isoOrNull, toJson, toNullableJson, usd } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";

export interface OptimizationView {
  readonly id: string;
  readonly program: { readonly id: string; readonly name: string };
  readonly baseVersionId: string | null;
  readonly resultVersionId: string | null;
  readonly datasetVersionId: string | null;
  readonly optimizer: string;
  readonly status: OptimizationStatusName;
  readonly options: unknown;
  readonly seed: number;
  readonly budget: { readonly usd: number | null; readonly lmCalls: number | null; readonly seconds: number | null };
  readonly spent: { readonly usd: number; readonly lmCalls: number; readonly seconds: number };
  readonly trialCount: number;
  readonly bestScore: number | null;
  readonly baselineScore: number | null;
  readonly estimate: unknown;
  readonly report: unknown;
  readonly jobId: string | null;
  readonly error: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** Whether a checkpoint is stored (a resumed run continues from it). */
  readonly hasCheckpoint: boolean;
}

export interface TrialView {
  readonly id: string;
  readonly number: number;
  readonly status: "running" | "complete" | "pruned" | "failed";
  readonly evaluation: "minibatch" | "full";
  readonly set: string;
  readonly config: unknown;
  readonly score: number | null;
  /** One value per objective (quality, cost, latency). */
  readonly values: unknown;
  /** Per-example scores. */
  readonly scores: unknown;
  readonly examples: number;
  readonly costUsd: number;
  readonly lmCalls: number;
  readonly latencyMs: number | null;
  readonly meta: unknown;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** One example's result in a trial (the example is an index into the set the trial scored). */
export interface TrialExampleView {
  readonly example: number;
  readonly score: number | null;
  readonly feedback: string | null;
}

/** A trial with what its list row leaves out: when it started and its result per example. */
export interface TrialDetailView extends TrialView {
  /** When the trial's evaluation started (null for a trial stored without its result). */
  readonly startedAt: string | null;
  readonly perExample: readonly TrialExampleView[];
}

/** Which status may follow which: a running optimization may be stopped, resumed ones are queued again. */
export const OPTIMIZATION_TRANSITIONS: Readonly<Record<OptimizationStatusName, readonly OptimizationStatusName[]>> = Object.freeze({
  queued: ["running", "stopped", "failed"],
  running: ["stopping", "stopped", "completed", "failed", "queued"],
  stopping: ["stopped", "completed", "failed"],
  stopped: ["queued"],
  failed: ["queued"],
  completed: [],
});

const TERMINAL = new Set<OptimizationStatusName>(["stopped", "completed", "failed"]);

const optimizationSelect = {
  id: true,
  baseVersionId: true,
  resultVersionId: true,
  datasetVersionId: true,
  optimizer: true,
  status: true,
  options: true,
  seed: true,
  budgetUsd: true,
  budgetLmCalls: true,
  budgetSeconds: true,
  spentUsd: true,
  lmCalls: true,
  spentSeconds: true,
  trialCount: true,
  bestScore: true,
  baselineScore: true,
  estimate: true,
  report: true,
  jobId: true,
  error: true,
  createdBy: true,
  createdAt: true,
  startedAt: true,
  endedAt: true,
  checkpoint: true,
  program: { select: { id: true, name: true } },
} satisfies Prisma.OptimizationSelect;

type OptimizationRow = Prisma.OptimizationGetPayload<{ select: typeof optimizationSelect }>;

function toView(r: OptimizationRow): OptimizationView {
  return {
    id: r.id,
    program: r.program,
    baseVersionId: r.baseVersionId,
    resultVersionId: r.resultVersionId,
    datasetVersionId: r.datasetVersionId,
    optimizer: r.optimizer,
    status: r.status,
    options: r.options,
    seed: r.seed,
    budget: { usd: r.budgetUsd === null ? null : usd(r.budgetUsd), lmCalls: r.budgetLmCalls, seconds: r.budgetSeconds },
    spent: { usd: usd(r.spentUsd), lmCalls: r.lmCalls, seconds: r.spentSeconds },
    trialCount: r.trialCount,
    bestScore: r.bestScore,
    baselineScore: r.baselineScore,
    estimate: r.estimate,
    report: r.report,
    jobId: r.jobId,
    error: r.error,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: isoOrNull(r.startedAt),
    endedAt: isoOrNull(r.endedAt),
    hasCheckpoint: r.checkpoint !== null,
  };
}

/**
 * Records a launch (status queued). The base version defaults to the program's active version.
 * Errors: INVALID, NOT_FOUND (program, base version of that program, dataset version), CONFLICT
 * (no base version given and the program has no active version).
 */
export async function createOptimization(prisma: PrismaClient, input: CreateOptimizationInput): Promise<OptimizationView> {
  const q = parseInput(CreateOptimizationSchema, input, "optimization");
  const program = await prisma.program.findUnique({ where: { name: q.programName }, select: { id: true, activeVersionId: true } });
  if (!program) throw new NotFoundError("program", q.programName, "programName");
  const baseVersionId = q.baseVersionId ?? program.activeVersionId;
  if (!baseVersionId) throw new ConflictError(`program "${q.programName}" has no active version to optimize; pass baseVersionId`, "baseVersionId");
  const base = await prisma.programVersion.findUnique({ where: { id: baseVersionId }, select: { programId: true } });
  if (!base || base.programId !== program.id) throw new NotFoundError(`version of program "${q.programName}"`, baseVersionId, "baseVersionId");
  if (q.datasetVersionId && !(await prisma.datasetVersion.findUnique({ where: { id: q.datasetVersionId }, select: { id: true } }))) {
    throw new NotFoundError("dataset version", q.datasetVersionId, "datasetVersionId");
  }
  const row = await prisma.optimization.create({
    data: {
      programId: program.id,
      baseVersionId,
      datasetVersionId: q.datasetVersionId ?? null,
      optimizer: q.optimizer,
      options: toJson(q.options),
      seed: q.seed,
      budgetUsd: q.budget.usd ?? null,
      budgetLmCalls: q.budget.lmCalls ?? null,
      budgetSeconds: q.budget.seconds ?? null,
      estimate: toNullableJson(q.estimate),
      createdBy: q.createdBy ?? null,
    },
    select: optimizationSelect,
  });
  return toView(row);
}

export async function getOptimization(prisma: PrismaClient, id: string): Promise<OptimizationView> {
  const row = await prisma.optimization.findUnique({ where: { id }, select: optimizationSelect });
  if (!row) throw new NotFoundError("optimization", id, "optimizationId");
  return toView(row);
}

/** Optimizations, newest first. An unknown program name gives an empty page. */
export async function listOptimizations(prisma: PrismaClient, query: OptimizationListQuery = {}): Promise<Page<OptimizationView>> {
  const q = parseInput(OptimizationListQuerySchema, query, "optimization list");
  const where: Prisma.OptimizationWhereInput = { ...(q.programName ? { program: { name: q.programName } } : {}), ...(q.status ? { status: q.status } : {}) };
  return readPage(
    prisma,
    q,
    (w) => prisma.optimization.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: optimizationSelect, ...w }),
    () => prisma.optimization.count({ where }),
    toView,
  );
}

/**
 * Moves an optimization to another status, atomically and only along OPTIMIZATION_TRANSITIONS.
 * Sets startedAt on the first start, endedAt on stopped/completed/failed; keeps `error` (failed),
 * `report` and `resultVersionId` (completed), `jobId`. Errors: INVALID, NOT_FOUND, CONFLICT
 * (a transition that is not allowed, or a status changed meanwhile).
 */
export async function setOptimizationStatus(prisma: PrismaClient, id: string, input: SetOptimizationStatusInput, now: Date = new Date()): Promise<OptimizationView> {
  const q = parseInput(SetOptimizationStatusSchema, input, "optimization status");
  return prisma.$transaction(async (tx) => {
    const current = await tx.optimization.findUnique({ where: { id }, select: { status: true, startedAt: true, programId: true } });
    if (!current) throw new NotFoundError("optimization", id, "optimizationId");
    const allowed = OPTIMIZATION_TRANSITIONS[current.status];
    if (!allowed.includes(q.status)) {
      throw new ConflictError(
        `optimization ${id} is ${current.status}; it cannot become ${q.status} (from ${current.status}: ${allowed.join(", ") || "no further status"})`,
        "status",
      );
    }
    if (q.resultVersionId) {
      const v = await tx.programVersion.findUnique({ where: { id: q.resultVersionId }, select: { programId: true } });
      if (!v || v.programId !== current.programId) throw new NotFoundError("version of the optimized program", q.resultVersionId, "resultVersionId");
    }
    const data: Prisma.OptimizationUpdateManyMutationInput & { resultVersionId?: string | null } = {
      status: q.status,
      ...(q.status === "running" ? { startedAt: current.startedAt ?? now, endedAt: null, error: null } : {}),
      ...(q.status === "queued" ? { endedAt: null } : {}),
      ...(TERMINAL.has(q.status) ? { endedAt: now } : {}),
      ...(q.error !== undefined ? { error: q.error } : {}),
      ...(q.report !== undefined ? { report: toNullableJson(q.report) } : {}),
      ...(q.jobId !== undefined ? { jobId: q.jobId } : {}),
      ...(q.resultVersionId !== undefined ? { resultVersionId: q.resultVersionId } : {}),
    };
    const { count } = await tx.optimization.updateMany({ where: { id, status: current.status }, data });
    if (count === 0) throw new ConflictError(`optimization ${id} changed status meanwhile; read it again`, "status");
    return toView(await tx.optimization.findUniqueOrThrow({ where: { id }, select: optimizationSelect }));
  });
}

const trialSelect = {
  id: true,
  number: true,
  status: true,
  evaluation: true,
  set: true,
  config: true,
  score: true,
  values: true,
  scores: true,
  examples: true,
  costUsd: true,
  lmCalls: true,
  latencyMs: true,
  meta: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} satisfies Prisma.TrialSelect;

type TrialRow = Prisma.TrialGetPayload<{ select: typeof trialSelect }>;

function toTrialView(r: TrialRow): TrialView {
  return { ...r, costUsd: usd(r.costUsd), createdAt: r.createdAt.toISOString(), finishedAt: isoOrNull(r.finishedAt) };
}

/** An optimization's trials, sorted (unscored trials last when sorting by score). Errors: NOT_FOUND, INVALID. */
export async function listTrials(prisma: PrismaClient, query: TrialListQuery): Promise<Page<TrialView>> {
  const q = parseInput(TrialListQuerySchema, query, "trial list");
  if (!(await prisma.optimization.findUnique({ where: { id: q.optimizationId }, select: { id: true } }))) {
    throw new NotFoundError("optimization", q.optimizationId, "optimizationId");
  }
  const where: Prisma.TrialWhereInput = {
    optimizationId: q.optimizationId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.evaluation ? { evaluation: q.evaluation } : {}),
  };
  const primary: Prisma.TrialOrderByWithRelationInput =
    q.sort === "score" || q.sort === "latencyMs" ? { [q.sort]: { sort: q.order, nulls: "last" } } : { [q.sort]: q.order };
  const orderBy = q.sort === "number" ? [primary] : [primary, { number: "asc" as const }];
  return readPage(
    prisma,
    q,
    (w) => prisma.trial.findMany({ where, orderBy, select: trialSelect, ...w }),
    () => prisma.trial.count({ where }),
    toTrialView,
  );
}

/** The stored result of a trial (TrialResult as the optimizer recorded it), read defensively. */
const StoredResultSchema = z.looseObject({
  startedAt: z.number().optional(),
  examples: z.array(z.number()).optional(),
  scores: z.array(z.number().nullable()).optional(),
  feedback: z.array(z.string().nullable()).optional(),
});

/** One trial by its number, with its per-example results. Errors: NOT_FOUND (optimization or trial). */
export async function getTrial(prisma: PrismaClient, optimizationId: string, number: number): Promise<TrialDetailView> {
  const row = await prisma.trial.findUnique({ where: { optimizationId_number: { optimizationId, number } }, select: { ...trialSelect, result: true } });
  if (!row) {
    if (!(await prisma.optimization.findUnique({ where: { id: optimizationId }, select: { id: true } }))) throw new NotFoundError("optimization", optimizationId, "id");
    throw new NotFoundError("trial", `${optimizationId}#${number}`, "number");
  }
  const { result, ...rest } = row;
  const parsed = StoredResultSchema.safeParse(result);
  const r = parsed.success ? parsed.data : {};
  const perExample = (r.examples ?? []).map((example, i) => ({ example, score: r.scores?.[i] ?? null, feedback: r.feedback?.[i] ?? null }));
  return { ...toTrialView(rest), startedAt: r.startedAt !== undefined && Number.isFinite(r.startedAt) ? new Date(r.startedAt).toISOString() : null, perExample };
}

/**
 * Records the job that runs an optimization (no-op when the row is gone). `while` narrows it to a
 * row that is running (the job that runs it names itself) or that is not (a queued job must not
 * take the row from a running one).
 */
export async function setOptimizationJob(prisma: PrismaClient, id: string, jobId: string, options: { readonly while?: "running" | "not-running" } = {}): Promise<void> {
  const status = options.while === "running" ? { status: "running" as const } : options.while === "not-running" ? { status: { not: "running" as const } } : {};
  await prisma.optimization.updateMany({ where: { id, ...status }, data: { jobId } });
}
