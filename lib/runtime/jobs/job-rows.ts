// The Job table as both backends keep it: recording a job, reading one or a page, cancelling.
import type { z } from "zod";
import type { Prisma, PrismaClient } from "../../db";
import { EnqueueJobOptionsSchema, JobListFiltersSchema, type EnqueueJobOptions, type JobListFilters } from "../../schemas/jobs";
import { PageQuerySchema, type Page, type PageQuery } from "../../schemas/pagination";
import { InvalidInputError, NotFoundError } from "../store";
import { DEFAULT_MAX_ATTEMPTS, parsePayload, type JobRegistry } from "./define-job";
import { toJson } from "../store/json";
import type { JobView } from "./types";

type JobRow = Prisma.JobGetPayload<object>;

export function toJobView(r: JobRow): JobView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    payload: r.payload,
    result: r.result,
    error: r.error,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    priority: r.priority,
    runAt: r.runAt.toISOString(),
    lockedBy: r.lockedBy,
    heartbeatAt: r.heartbeatAt?.toISOString() ?? null,
    progress: r.progress,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string, prefix: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    what,
    parsed.error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message })),
  );
}

export interface NewJob {
  readonly kind: string;
  /** The payload as parsed by the kind's schema (what the handler will get). */
  readonly payload: unknown;
  readonly priority: number;
  readonly delayMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
}

/** Validates kind, payload and options before anything is written (InvalidInputError naming each field). */
export function prepareJob(registry: JobRegistry, kind: string, payload: unknown, options: EnqueueJobOptions | undefined, queueRetryDelayMs: number): NewJob {
  const definition = registry.require(kind);
  const parsedPayload = parsePayload(definition, payload);
  const o = parse(EnqueueJobOptionsSchema, options, `job "${kind}" options`, "options");
  return {
    kind,
    payload: parsedPayload,
    priority: o.priority,
    delayMs: o.delayMs,
    maxAttempts: o.maxAttempts ?? definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryDelayMs: definition.retryDelayMs ?? queueRetryDelayMs,
  };
}

export async function insertJob(prisma: PrismaClient, job: NewJob, now: Date): Promise<JobRow> {
  return prisma.job.create({
    data: {
      kind: job.kind,
      payload: toJson(job.payload),
      priority: job.priority,
      maxAttempts: job.maxAttempts,
      runAt: new Date(now.getTime() + job.delayMs),
      createdAt: now,
    },
  });
}

export async function getJob(prisma: PrismaClient, id: string): Promise<JobView> {
  const row = await prisma.job.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("job", id, "id");
  return toJobView(row);
}

/** Jobs newest first, filtered by kind and status; items and total read in one transaction. */
export async function listJobs(prisma: PrismaClient, filters: JobListFilters | undefined, page: PageQuery | undefined): Promise<Page<JobView>> {
  const f = parse(JobListFiltersSchema, filters, "job list filters", "");
  const p = parse(PageQuerySchema, page, "job list page", "");
  const where: Prisma.JobWhereInput = { ...(f.kind ? { kind: f.kind } : {}), ...(f.status ? { status: f.status } : {}) };
  const [rows, total] = await prisma.$transaction([
    prisma.job.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (p.page - 1) * p.limit, take: p.limit }),
    prisma.job.count({ where }),
  ]);
  return { items: rows.map(toJobView), total, page: p.page, limit: p.limit };
}

export type CancelOutcome =
  | { readonly kind: "cancelled"; readonly wasRunning: boolean; readonly job: JobView }
  | { readonly kind: "unchanged"; readonly job: JobView };

/**
 * Marks a queued or running job cancelled (a running one keeps `lockedBy`: its worker finishes
 * the bookkeeping when its handler returns). A finished job is left unchanged. NotFoundError for
 * an unknown id.
 */
export async function cancelJobRow(prisma: PrismaClient, id: string, now: Date): Promise<CancelOutcome> {
  for (let tries = 0; tries < 5; tries++) {
    const row = await prisma.job.findUnique({ where: { id } });
    if (!row) throw new NotFoundError("job", id, "id");
    if (row.status !== "queued" && row.status !== "running") return { kind: "unchanged", job: toJobView(row) };
    const wasRunning = row.status === "running";
    const { count } = await prisma.job.updateMany({
      where: { id, status: row.status },
      data: { status: "cancelled", ...(wasRunning ? {} : { finishedAt: now, lockedBy: null }) },
    });
    if (count === 1) return { kind: "cancelled", wasRunning, job: await getJob(prisma, id) };
    // It changed status meanwhile (claimed, or finished): read it again.
  }
  return { kind: "unchanged", job: await getJob(prisma, id) };
}
