// Moving an Optimization row to a status along the allowed transitions (the store refuses any
// other step), from wherever a crash, a stop request or a retry left it; and which job may.
import type { PrismaClient } from "../../db";
import type { OptimizationStatusName, SetOptimizationStatusInput } from "../../schemas/optimizations";
import { ConflictError, getOptimization, jobState, OPTIMIZATION_TRANSITIONS, setOptimizationStatus, type OptimizationView } from "../store";

/** The shortest chain of allowed transitions from one status to another ([] when equal; undefined when unreachable). */
export function statusPath(from: OptimizationStatusName, to: OptimizationStatusName): OptimizationStatusName[] | undefined {
  if (from === to) return [];
  const previous = new Map<OptimizationStatusName, OptimizationStatusName>();
  const queue: OptimizationStatusName[] = [from];
  while (queue.length) {
    const at = queue.shift()!;
    for (const next of OPTIMIZATION_TRANSITIONS[at]) {
      if (next === from || previous.has(next)) continue;
      previous.set(next, at);
      if (next === to) {
        const path: OptimizationStatusName[] = [to];
        for (let s = at; s !== from; s = previous.get(s)!) path.unshift(s);
        return path;
      }
      queue.push(next);
    }
  }
  return undefined;
}

const ENDED = new Set<OptimizationStatusName>(["stopped", "completed", "failed"]);

/**
 * Moves an optimization towards `target`. `data` (error, report, result version, job id) goes
 * with the last step. With `unlessEnded`, an optimization already stopped, completed or failed
 * (someone else decided) is left as it is. Retries when the row changes meanwhile.
 */
export async function moveOptimization(
  prisma: PrismaClient,
  id: string,
  target: OptimizationStatusName,
  data: Omit<SetOptimizationStatusInput, "status"> = {},
  options: { readonly unlessEnded?: boolean } = {},
): Promise<OptimizationView> {
  for (let tries = 0; ; tries++) {
    let view = await getOptimization(prisma, id);
    if (view.status === target || (options.unlessEnded && ENDED.has(view.status))) return view;
    const path = statusPath(view.status, target);
    if (!path) throw new ConflictError(`optimization ${id} is ${view.status}; it cannot become ${target}`, "status");
    try {
      for (const [i, status] of path.entries()) view = await setOptimizationStatus(prisma, id, i === path.length - 1 ? { status, ...data } : { status });
      return view;
    } catch (err) {
      if (!(err instanceof ConflictError) || tries >= 4) throw err;
    }
  }
}

/**
 * How the job the row names stands, seen from `jobId`: "mine"; "free" (the row names no job, or
 * one that is over); "live" (another job is queued or running); "winding-down" (another job was
 * cancelled while running and its attempt has not finished yet).
 */
export async function optimizationOwner(prisma: PrismaClient, view: Pick<OptimizationView, "jobId">, jobId: string): Promise<"mine" | "free" | "live" | "winding-down"> {
  if (view.jobId === jobId) return "mine";
  if (view.jobId === null) return "free";
  const other = await jobState(prisma, view.jobId);
  if (!other) return "free";
  if (other.status === "queued" || other.status === "running") return "live";
  if (other.status === "cancelled" && other.finishedAt === null && other.lockedBy !== null) return "winding-down";
  return "free";
}
