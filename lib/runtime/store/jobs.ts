// The Job table as both queue backends keep it: recording a job, reading one or a page, cancelling.
import type { Prisma, PrismaClient } from "../../db";
import { JobListFiltersSchema, type JobListFilters } from "../../schemas/jobs";
import { PageQuerySchema, type Page, type PageQuery } from "../../schemas/pagination";
import type { JobView } from "../jobs/types";
import { NotFoundError } from "./errors";
import { toJson } from "./json";
import { parseInput } from "./parse-input";

/** A job as the queue records it before it runs (kind, payload and options already checked). */
export interface NewJobRow {
  readonly kind: string;
  /** The payload as parsed by the kind's schema (what the handler will get). */
  readonly payload: unknown;
  readonly priority: number;
  readonly delayMs: number;
  readonly maxAttempts: number;
}

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

export async function insertJob(prisma: PrismaClient, job: NewJobRow, now: Date): Promise<JobRow> {
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
  const f = parseInput(JobListFiltersSchema, filters ?? {}, "job list filters");
  const p = parseInput(PageQuerySchema, page ?? {}, "job list page");
  const where: Prisma.JobWhereInput = { ...(f.kind ? { kind: f.kind } : {}), ...(f.status ? { status: f.status } : {}) };
  const [rows, total] = await prisma.$transaction([
    prisma.job.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (p.page - 1) * p.limit, take: p.limit }),
    prisma.job.count({ where }),
  ]);
  return { items: rows.map(toJobView), total, page: p.page, limit: p.limit };
}

/** Removes a job row (one no worker will ever see); no-op when it is gone. */
export async function deleteJobRow(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.job.deleteMany({ where: { id } });
}

/** Queued and running jobs of a kind whose payload has `field` equal to `value`, oldest first. */
export function liveJobsWithPayload(prisma: PrismaClient, kind: string, field: string, value: string): Promise<{ id: string; status: string }[]> {
  return prisma.job.findMany({
    where: { kind, status: { in: ["queued", "running"] }, payload: { path: [field], equals: value } },
    orderBy: { createdAt: "asc" },
    select: { id: true, status: true },
  });
}

/** Where a job stands (status, whether it finished, which worker holds it), or null when it is gone. */
export function jobState(prisma: PrismaClient, id: string): Promise<{ status: string; finishedAt: Date | null; lockedBy: string | null } | null> {
  return prisma.job.findUnique({ where: { id }, select: { status: true, finishedAt: true, lockedBy: true } });
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
