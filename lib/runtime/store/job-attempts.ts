// One attempt of a job, as the Job table records it: claimed by a worker (status running,
// lockedBy, attempts + 1), kept alive by heartbeats, and settled (completed, retried, failed,
// cancelled, or put back when its worker shuts down). Every write after the claim is conditional
// on the row still being this worker's, so a worker that lost a job can never overwrite it.
import type { PrismaClient } from "../../db";
import { errorText } from "../../errors";
import { toJson, toNullableJson } from "./json";

/** Why a running job's signal aborted. */
export type JobAbortReason = "cancelled" | "shutdown" | "timeout" | "lost";

/** What a job row records when its worker died during the last attempt allowed. */
export function workerLostMessage(jobId: string, lockedBy: string, attempts: number): string {
  return `job ${jobId}: its worker ${lockedBy} stopped during attempt ${attempts}, the last one allowed (maxAttempts)`;
}

export interface ClaimedJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  /** 1-based: attempts started so far, this one included. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/** How an attempt ended, as the runner saw it. */
export type AttemptOutcome =
  | { readonly kind: "completed"; readonly result: unknown }
  | { readonly kind: "failed"; readonly error: unknown; readonly permanent: boolean }
  | { readonly kind: "interrupted"; readonly reason: Exclude<JobAbortReason, "timeout">; readonly result?: unknown };

/** What the Job row says after settling: the backend acts on it (BullMQ: return, retry, fail, put back). */
export type Settlement =
  | { readonly kind: "completed"; readonly result: unknown }
  | { readonly kind: "retry"; readonly error: string; readonly delayMs: number }
  | { readonly kind: "failed"; readonly error: string }
  | { readonly kind: "cancelled" }
  | { readonly kind: "requeued" }
  /** The row is no longer this worker's (taken over, or deleted): nothing was written. */
  | { readonly kind: "lost" }
  /** Writing the outcome failed (database unreachable): the row still says running; it is recovered as orphaned. */
  | { readonly kind: "unrecorded"; readonly error: string };

const toClaim = (r: { id: string; kind: string; payload: unknown; attempts: number; maxAttempts: number }): ClaimedJob => ({
  id: r.id,
  kind: r.kind,
  payload: r.payload,
  attempt: r.attempts,
  maxAttempts: r.maxAttempts,
});

/** Embedded: takes the next due queued job of these kinds (highest priority, then oldest runAt), or nothing. */
export async function claimNext(prisma: PrismaClient, workerId: string, kinds: readonly string[], now: Date): Promise<ClaimedJob | undefined> {
  for (let tries = 0; tries < 8; tries++) {
    const next = await prisma.job.findFirst({
      where: { status: "queued", runAt: { lte: now }, kind: { in: [...kinds] } },
      orderBy: [{ priority: "desc" }, { runAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: { id: true, startedAt: true },
    });
    if (!next) return undefined;
    const { count } = await prisma.job.updateMany({
      where: { id: next.id, status: "queued" },
      data: { status: "running", lockedBy: workerId, heartbeatAt: now, attempts: { increment: 1 }, ...(next.startedAt ? {} : { startedAt: now }) },
    });
    if (count === 1) return toClaim(await prisma.job.findUniqueOrThrow({ where: { id: next.id } }));
    // Another worker claimed it first: look again.
  }
  return undefined;
}

export type TakeOver =
  | { readonly kind: "claimed"; readonly claim: ClaimedJob; readonly tookOverFrom: string | null }
  | { readonly kind: "skip"; readonly reason: "missing" | "finished" }
  /** Cancelled while its (now dead) worker ran it: the row is finalized here; run the cancelled hook. */
  | { readonly kind: "cancelled"; readonly job: { readonly id: string; readonly kind: string; readonly payload: unknown } }
  /** Its worker died during the last allowed attempt: the row is now failed; run the failed hook. */
  | { readonly kind: "failed"; readonly job: { readonly id: string; readonly kind: string; readonly payload: unknown }; readonly error: string; readonly attempts: number };

/**
 * BullMQ: claims the row of a job the queue handed to this worker, also when it was `running`
 * under a worker that died (a stalled job). A death counts as an attempt.
 */
export async function takeOver(prisma: PrismaClient, id: string, workerId: string, now: Date): Promise<TakeOver> {
  for (let tries = 0; tries < 8; tries++) {
    const row = await prisma.job.findUnique({ where: { id } });
    if (!row) return { kind: "skip", reason: "missing" };
    if (row.status === "completed" || row.status === "failed") return { kind: "skip", reason: "finished" };
    const job = { id: row.id, kind: row.kind, payload: row.payload };
    if (row.status === "cancelled") {
      // finishedAt unset: cancelled while running, and its worker never finished the bookkeeping.
      if (row.lockedBy === null || row.finishedAt !== null) return { kind: "skip", reason: "finished" };
      const { count } = await prisma.job.updateMany({ where: { id, status: "cancelled", lockedBy: row.lockedBy, finishedAt: null }, data: { lockedBy: null, finishedAt: now } });
      if (count === 1) return { kind: "cancelled", job };
      continue;
    }
    if (row.status === "running" && row.lockedBy && row.attempts >= row.maxAttempts) {
      const error = workerLostMessage(id, row.lockedBy, row.attempts);
      const { count } = await prisma.job.updateMany({ where: { id, status: "running", lockedBy: row.lockedBy }, data: { status: "failed", error, finishedAt: now, lockedBy: null } });
      if (count === 1) return { kind: "failed", job, error, attempts: row.attempts };
      continue;
    }
    const { count } = await prisma.job.updateMany({
      where: { id, status: row.status, lockedBy: row.lockedBy },
      data: { status: "running", lockedBy: workerId, heartbeatAt: now, attempts: { increment: 1 }, ...(row.startedAt ? {} : { startedAt: now }) },
    });
    if (count === 1) {
      return { kind: "claimed", claim: toClaim({ ...row, attempts: row.attempts + 1 }), tookOverFrom: row.status === "running" ? row.lockedBy : null };
    }
  }
  return { kind: "skip", reason: "finished" };
}

/**
 * Refreshes `heartbeatAt` of the jobs this worker runs. Returns the ones that are no longer its
 * own: cancelled (by anyone, anywhere) or taken over by another worker.
 */
export async function heartbeat(prisma: PrismaClient, workerId: string, ids: readonly string[], now: Date): Promise<{ id: string; reason: "cancelled" | "lost" }[]> {
  if (ids.length === 0) return [];
  const { count } = await prisma.job.updateMany({ where: { id: { in: [...ids] }, lockedBy: workerId, status: "running" }, data: { heartbeatAt: now } });
  if (count === ids.length) return [];
  const rows = await prisma.job.findMany({ where: { id: { in: [...ids] } }, select: { id: true, status: true, lockedBy: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const gone: { id: string; reason: "cancelled" | "lost" }[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r?.status === "cancelled") gone.push({ id, reason: "cancelled" });
    else if (!r || r.status !== "running" || r.lockedBy !== workerId) gone.push({ id, reason: "lost" });
  }
  return gone;
}

/** Stores a running job's progress (only while the row is this worker's). */
export async function writeProgress(prisma: PrismaClient, id: string, workerId: string, value: unknown): Promise<void> {
  await prisma.job.updateMany({ where: { id, lockedBy: workerId, status: "running" }, data: { progress: toNullableJson(value) } });
}

/** Delay before the retry that follows attempt `attempt`: base, doubled per further attempt. */
export function retryDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** Records how an attempt ended and says what the row holds now. */
export async function settleAttempt(prisma: PrismaClient, claim: ClaimedJob, workerId: string, outcome: AttemptOutcome, retryDelayMs: number, now: Date): Promise<Settlement> {
  const mine = { id: claim.id, lockedBy: workerId };
  const write = async (where: object, data: object): Promise<boolean> => (await prisma.job.updateMany({ where: { ...mine, ...where }, data })).count === 1;

  if (outcome.kind === "completed") {
    const ok = await write({ status: "running" }, { status: "completed", result: toNullableJson(outcome.result), error: null, finishedAt: now, heartbeatAt: now });
    if (ok) return { kind: "completed", result: outcome.result };
    return (await cancelledMeanwhile(prisma, claim, workerId, now, outcome.result)) ? { kind: "cancelled" } : { kind: "lost" };
  }
  if (outcome.kind === "failed") {
    const error = errorText(outcome.error);
    if (outcome.permanent || claim.attempt >= claim.maxAttempts) {
      const ok = await write({ status: "running" }, { status: "failed", error, finishedAt: now, heartbeatAt: now });
      if (ok) return { kind: "failed", error };
    } else {
      const delayMs = retryDelay(retryDelayMs, claim.attempt);
      const ok = await write({ status: "running" }, { status: "queued", error, runAt: new Date(now.getTime() + delayMs), heartbeatAt: null });
      if (ok) return { kind: "retry", error, delayMs };
    }
    return (await cancelledMeanwhile(prisma, claim, workerId, now, undefined)) ? { kind: "cancelled" } : { kind: "lost" };
  }
  if (outcome.reason === "shutdown") {
    // Interrupted by a graceful stop: back in the queue, its attempt not counted.
    const ok = await write({ status: "running" }, { status: "queued", attempts: { decrement: 1 }, runAt: now, heartbeatAt: null, lockedBy: null });
    if (ok) return { kind: "requeued" };
  }
  return (await cancelledMeanwhile(prisma, claim, workerId, now, outcome.result)) ? { kind: "cancelled" } : { kind: "lost" };
}

/** A cancelled job this worker still held: finish its bookkeeping. False when it is not (or no longer) ours. */
async function cancelledMeanwhile(prisma: PrismaClient, claim: ClaimedJob, workerId: string, now: Date, result: unknown): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: { id: claim.id, lockedBy: workerId, status: "cancelled" },
    data: { finishedAt: now, heartbeatAt: now, ...(result !== undefined ? { result: toJson(result) } : {}) },
  });
  return count === 1;
}

export interface StaleJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly lockedBy: string;
  readonly attempts: number;
}

export interface Recovery {
  /** Put back in the queue: they resume (a death counts as an attempt). */
  readonly requeued: readonly StaleJob[];
  /** Their worker died during the last allowed attempt: now failed (run the failed hook). */
  readonly failed: readonly (StaleJob & { readonly error: string })[];
  /** Cancelled while their worker ran them, and the worker is gone: finalized (run the cancelled hook). */
  readonly cancelled: readonly StaleJob[];
}

/**
 * Embedded: jobs held by a worker that is gone, either a process of this machine that no longer
 * exists (kill -9) or one whose heartbeat is older than `staleAfterMs`, are re-queued (or failed
 * when that was their last attempt). Each row changes only if its holder is still the dead one.
 */
export async function recoverOrphans(prisma: PrismaClient, kinds: readonly string[], now: Date, staleAfterMs: number, isDead: (lockedBy: string) => boolean): Promise<Recovery> {
  const rows = await prisma.job.findMany({
    // A cancelled row without finishedAt was cancelled while running; its worker finishes the bookkeeping, unless it is gone.
    where: { OR: [{ status: "running" }, { status: "cancelled", finishedAt: null }], lockedBy: { not: null }, kind: { in: [...kinds] } },
    select: { id: true, kind: true, payload: true, status: true, lockedBy: true, heartbeatAt: true, attempts: true, maxAttempts: true },
  });
  const staleBefore = now.getTime() - staleAfterMs;
  const out: { requeued: StaleJob[]; failed: (StaleJob & { error: string })[]; cancelled: StaleJob[] } = { requeued: [], failed: [], cancelled: [] };
  for (const r of rows) {
    const lockedBy = r.lockedBy!;
    const stale = isDead(lockedBy) || (r.heartbeatAt?.getTime() ?? 0) < staleBefore;
    if (!stale) continue;
    const job: StaleJob = { id: r.id, kind: r.kind, payload: r.payload, lockedBy, attempts: r.attempts };
    const where = { id: r.id, status: r.status, lockedBy };
    if (r.status === "cancelled") {
      if ((await prisma.job.updateMany({ where: { ...where, finishedAt: null }, data: { lockedBy: null, finishedAt: now } })).count === 1) out.cancelled.push(job);
    } else if (r.attempts >= r.maxAttempts) {
      const error = workerLostMessage(r.id, lockedBy, r.attempts);
      if ((await prisma.job.updateMany({ where, data: { status: "failed", error, finishedAt: now, lockedBy: null } })).count === 1) out.failed.push({ ...job, error });
    } else {
      const error = `attempt ${r.attempts}: its worker ${lockedBy} stopped; re-queued`;
      if ((await prisma.job.updateMany({ where, data: { status: "queued", error, runAt: now, lockedBy: null, heartbeatAt: null } })).count === 1) out.requeued.push(job);
    }
  }
  return out;
}
