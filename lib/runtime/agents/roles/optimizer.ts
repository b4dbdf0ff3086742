// The optimizer role: runs optimizations as a service. On "optimize" it validates the request,
// creates the Optimization (through an injected function, e.g. the store's createOptimization)
// and enqueues the existing "optimization" job on an injected queue; it replies with the ids and,
// when asked to wait, with how the job ended. "optimization_status" reports on a job later.
import { z } from "zod";
import { OptimizationBudgetSchema } from "../../../schemas/optimizations";
import { defineSkill, type Skill } from "../skill";
import type { AgentContext } from "../types";
import { defineRole, type RoleDefinition } from "./define-role";

/** The job kind of lib/runtime/jobs/optimization-job.ts (kept as data: no import of the job runner). */
export const OPTIMIZATION_JOB_KIND = "optimization";

export const OptimizationRequestSchema = z.object({
  programName: z.string().trim().min(1, "must name a registered program"),
  datasetVersionId: z.string().trim().min(1).nullish(),
  /** e.g. "mipro", "gepa", "auto". */
  optimizer: z.string().trim().min(1, "must name an optimizer, e.g. \"auto\"").max(64),
  budget: OptimizationBudgetSchema.default({}),
  seed: z.number().int().optional(),
  /** Wait in the agent (state "waiting") until the job ends, and reply with how it ended. */
  waitForCompletion: z.boolean().default(false),
});
export type OptimizationRequest = z.input<typeof OptimizationRequestSchema>;

/** The part of JobQueue the role uses (`get` only to report completion). */
export interface OptimizationJobQueue {
  enqueue(kind: string, payload: unknown): Promise<{ readonly id: string }>;
  get?(id: string): Promise<{ readonly status: string; readonly result?: unknown; readonly error?: string | null }>;
}

export interface OptimizerRoleDependencies {
  readonly queue: OptimizationJobQueue;
  /** Creates the Optimization row, e.g. `(r) => createOptimization(prisma, { ...r, createdBy: "agent:optimizer" })`. */
  createOptimization(request: Omit<z.output<typeof OptimizationRequestSchema>, "waitForCompletion">): Promise<{ readonly id: string }>;
  /** Between status checks while waiting (default 1000 ms). */
  readonly pollMs?: number;
  /** Injected for tests; default setTimeout. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called once per job that ends while the agent waits on it. */
  readonly onCompleted?: (report: OptimizationJobReport) => void;
}

export interface OptimizationJobReport {
  readonly optimizationId?: string;
  readonly jobId: string;
  /** queued | running | completed | failed | cancelled, as the queue reports it. */
  readonly status: string;
  readonly result?: unknown;
  readonly error?: string | null;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

async function pollUntilDone(deps: OptimizerRoleDependencies, jobId: string, ctx: AgentContext): Promise<OptimizationJobReport> {
  const get = deps.queue.get;
  if (!get) return { jobId, status: "queued" };
  const sleep = deps.sleep ?? defaultSleep;
  for (;;) {
    const job = await get.call(deps.queue, jobId);
    if (TERMINAL.has(job.status)) return { jobId, status: job.status, result: job.result, error: job.error ?? null };
    await sleep(deps.pollMs ?? 1000, ctx.signal);
  }
}

export function optimizerSkill(deps: OptimizerRoleDependencies): Skill {
  return defineSkill({
    name: "optimizer",
    description: "Runs optimizations as a service: creates the optimization, enqueues its job, reports how it ended.",
    handlers: {
      optimize: async (payload, ctx): Promise<OptimizationJobReport> => {
        const { waitForCompletion, ...request } = OptimizationRequestSchema.parse(payload);
        const { id: optimizationId } = await deps.createOptimization(request);
        const { id: jobId } = await deps.queue.enqueue(OPTIMIZATION_JOB_KIND, { optimizationId });
        if (!waitForCompletion) return { optimizationId, jobId, status: "queued" };
        const done = { ...(await ctx.wait(pollUntilDone(deps, jobId, ctx))), optimizationId };
        deps.onCompleted?.(done);
        return done;
      },
      optimization_status: async (payload, ctx): Promise<OptimizationJobReport> => {
        const { jobId, wait } = z.object({ jobId: z.string().min(1), wait: z.boolean().default(false) }).parse(payload);
        if (wait) return ctx.wait(pollUntilDone(deps, jobId, ctx));
        const job = deps.queue.get ? await deps.queue.get(jobId) : undefined;
        return job ? { jobId, status: job.status, result: job.result, error: job.error ?? null } : { jobId, status: "unknown" };
      },
    },
  });
}

/** The built-in optimizer role. Its signature explains a request in words ("run"); the work is in its skill. */
export function optimizerRole(deps: OptimizerRoleDependencies): RoleDefinition {
  return defineRole({
    name: "optimizer",
    signature: "request: string -> plan: string",
    instructions: "Explain in two sentences what this optimization request will do: which program, which optimizer, which budget.",
    skills: [optimizerSkill(deps)],
  });
}
