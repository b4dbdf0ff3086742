// Launching, stopping and resuming an optimization through the job queue, for API routes and
// the dashboard. The Optimization row names the job that runs it (`jobId`); only that job moves
// its status, and one optimization never runs under two jobs at once.
import type { PrismaClient } from "../../db";
import { ConflictError, getOptimization, liveJobsWithPayload, setOptimizationJob, type OptimizationView } from "../store";
import { OPTIMIZATION_JOB } from "./optimization-job";
import { moveOptimization, optimizationOwner } from "./optimization-status";
import type { JobQueue } from "./types";

/**
 * Starts an optimization, or resumes a stopped or failed one from its checkpoint: enqueues its
 * job and records it on the row (status queued). When a job of it is already queued or running,
 * returns that job instead of starting a second. Errors: NOT_FOUND, CONFLICT (completed).
 */
export async function enqueueOptimization(queue: JobQueue, prisma: PrismaClient, optimizationId: string): Promise<{ readonly jobId: string }> {
  const view = await getOptimization(prisma, optimizationId);
  if (view.status === "completed") throw new ConflictError(`optimization ${optimizationId} is completed; launch a new optimization to search again`, "status");
  const [live] = await liveOptimizationJobs(prisma, optimizationId);
  if (live) return { jobId: live.id };
  const { id: jobId } = await queue.enqueue(OPTIMIZATION_JOB, { optimizationId });
  if (view.status === "stopped" || view.status === "failed") await moveOptimization(prisma, optimizationId, "queued").catch(() => undefined);
  // The row names the new job, unless a cancelled one is still finishing its last trial: then the
  // new job waits for it when it starts, and names itself.
  if ((await optimizationOwner(prisma, view, jobId)) !== "winding-down") {
    await setOptimizationJob(prisma, optimizationId, jobId, { while: "not-running" });
  }
  return { jobId };
}

/**
 * Stops an optimization: cancels its queued and running jobs (a running attempt stops at its next
 * trial: status stopping, then stopped), keeping the checkpoint to resume from. Errors: NOT_FOUND.
 */
export async function stopOptimization(queue: JobQueue, prisma: PrismaClient, optimizationId: string): Promise<OptimizationView> {
  const view = await getOptimization(prisma, optimizationId);
  const live = await liveOptimizationJobs(prisma, optimizationId);
  for (const job of live) await queue.cancel(job.id);
  if (live.length === 0 && (view.status === "queued" || view.status === "running")) return moveOptimization(prisma, optimizationId, "stopped", {}, { unlessEnded: true });
  return getOptimization(prisma, optimizationId);
}

/** The optimization's jobs that are queued or running, oldest first. */
export function liveOptimizationJobs(prisma: PrismaClient, optimizationId: string): Promise<{ id: string; status: string }[]> {
  return liveJobsWithPayload(prisma, OPTIMIZATION_JOB, "optimizationId", optimizationId);
}
