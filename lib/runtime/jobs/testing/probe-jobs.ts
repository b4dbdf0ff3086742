// Job kinds for queue tests, each recording what happened to it in a shared probe: completes,
// crashes, fails a few times, waits for its signal, or works in checkpointed steps.
import { z } from "zod";
import type { PrismaClient } from "../../../db";
import { abortReasonOf, defineJob, PermanentJobError, type JobAbortReason, type JobDefinition } from "../index";

export interface ProbeRecord {
  readonly kind: string;
  readonly jobId: string;
  readonly attempt: number;
  readonly workerId: string;
}

/** What the probe jobs did, in order. */
export class JobProbe {
  readonly runs: ProbeRecord[] = [];
  readonly aborted: { jobId: string; reason: JobAbortReason | undefined }[] = [];
  readonly steps: { jobId: string; step: number; workerId: string }[] = [];
  readonly hooks: { hook: "cancelled" | "failed"; jobId: string; info: unknown }[] = [];
  private readonly waiters: { test: () => boolean; resolve: () => void }[] = [];

  record<T extends object>(list: T[], item: T): void {
    list.push(item);
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `test` holds (checked on every record). */
  until(test: () => boolean, timeoutMs = 20_000, what = "the probe condition"): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  runsOf(jobId: string): ProbeRecord[] {
    return this.runs.filter((r) => r.jobId === jobId);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * - echo `{ value }` -> `{ echoed: value }`
 * - crash `{ message, mode }`: always fails (async throw, sync throw, a non-Error, or permanent)
 * - flaky `{ failures }`: fails its first `failures` attempts, then completes
 * - wait `{}`: runs until its signal aborts, then rethrows the reason
 * - slow `{}`: like wait, with timeoutMs 200 and one attempt
 * - steps `{ steps, stepMs }`: counts to `steps`, storing progress; resumes from the stored progress
 */
export function probeJobs(probe: JobProbe, prisma: PrismaClient, options: { retryDelayMs?: number } = {}): JobDefinition<unknown>[] {
  const retryDelayMs = options.retryDelayMs ?? 20;
  const hooks = {
    cancelled: (_p: unknown, info: { jobId: string }) => probe.record(probe.hooks, { hook: "cancelled" as const, jobId: info.jobId, info }),
    failed: (_p: unknown, info: { jobId: string }) => probe.record(probe.hooks, { hook: "failed" as const, jobId: info.jobId, info }),
  };
  const started = (kind: string, ctx: { jobId: string; attempt: number; workerId: string }) => probe.record(probe.runs, { kind, jobId: ctx.jobId, attempt: ctx.attempt, workerId: ctx.workerId });
  const waitForAbort = async (signal: AbortSignal, jobId: string) => {
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
    probe.record(probe.aborted, { jobId, reason: abortReasonOf(signal) });
    throw signal.reason;
  };
  return [
    defineJob({
      kind: "echo",
      payload: z.object({ value: z.string() }),
      run: async ({ value }, ctx) => {
        started("echo", ctx);
        return { echoed: value };
      },
      ...hooks,
    }),
    defineJob({
      kind: "crash",
      payload: z.object({ message: z.string(), mode: z.enum(["async", "sync", "non-error", "permanent"]).default("async") }),
      retryDelayMs,
      run: ({ message, mode }, ctx) => {
        started("crash", ctx);
        if (mode === "sync") throw new Error(message);
        if (mode === "permanent") return Promise.reject(new PermanentJobError(message));
        if (mode === "non-error") return Promise.reject({ message });
        return Promise.reject(new Error(message));
      },
      ...hooks,
    }),
    defineJob({
      kind: "flaky",
      payload: z.object({ failures: z.number().int() }),
      retryDelayMs,
      run: async ({ failures }, ctx) => {
        started("flaky", ctx);
        if (ctx.attempt <= failures) throw new Error(`flaky failure ${ctx.attempt}`);
        return { attempt: ctx.attempt };
      },
      ...hooks,
    }),
    defineJob({
      kind: "wait",
      payload: z.object({}),
      run: async (_p, ctx) => {
        started("wait", ctx);
        await waitForAbort(ctx.signal, ctx.jobId);
      },
      ...hooks,
    }),
    defineJob({
      kind: "slow",
      payload: z.object({}),
      timeoutMs: 200,
      maxAttempts: 1,
      run: async (_p, ctx) => {
        started("slow", ctx);
        await waitForAbort(ctx.signal, ctx.jobId);
      },
      ...hooks,
    }),
    defineJob({
      kind: "steps",
      payload: z.object({ steps: z.number().int().positive(), stepMs: z.number().int().nonnegative() }),
      retryDelayMs,
      run: async ({ steps, stepMs }, ctx) => {
        started("steps", ctx);
        const row = await prisma.job.findUniqueOrThrow({ where: { id: ctx.jobId }, select: { progress: true } });
        const from = (row.progress as { step?: number } | null)?.step ?? 0;
        for (let step = from + 1; step <= steps; step++) {
          try {
            await sleep(stepMs, ctx.signal);
          } catch (err) {
            probe.record(probe.aborted, { jobId: ctx.jobId, reason: abortReasonOf(ctx.signal) });
            throw err;
          }
          await ctx.progress({ step });
          probe.record(probe.steps, { jobId: ctx.jobId, step, workerId: ctx.workerId });
        }
        return { steps, resumedFrom: from };
      },
      ...hooks,
    }),
  ] as JobDefinition<unknown>[];
}
