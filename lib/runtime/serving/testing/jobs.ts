// An in-memory job queue for tests: records what was queued and cancelled; can refuse.
import { randomUUID } from "node:crypto";
import type { OptimizationJobs } from "../types";

export interface MemoryJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: { readonly optimizationId: string };
  state: "queued" | "cancelled";
}

export interface MemoryJobs extends OptimizationJobs {
  readonly jobs: MemoryJob[];
  /** Makes the next enqueue() reject (the queue is down). */
  refuseNext(reason: string): void;
}

export function createMemoryJobs(): MemoryJobs {
  const jobs: MemoryJob[] = [];
  let refusal: string | undefined;
  return {
    jobs,
    async enqueue(kind, payload) {
      if (refusal !== undefined) {
        const reason = refusal;
        refusal = undefined;
        throw new Error(reason);
      }
      const job: MemoryJob = { id: randomUUID(), kind, payload, state: "queued" };
      jobs.push(job);
      return { id: job.id };
    },
    async cancel(jobId) {
      const job = jobs.find((j) => j.id === jobId);
      if (job) job.state = "cancelled";
    },
    refuseNext(reason) {
      refusal = reason;
    },
  };
}
