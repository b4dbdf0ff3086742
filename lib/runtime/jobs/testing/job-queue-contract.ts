// The JobQueue contract: every backend runs this suite, on every database backend.
import { afterEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../db";
import type { TestDatabase } from "../../../db/testing";
import { InvalidInputError, NotFoundError } from "../../store";
import { useTestDatabase } from "../../store/testing";
import type { JobDefinition, JobQueue } from "../index";
import { JobProbe, probeJobs } from "./probe-jobs";
import { waitForJob, waitUntil } from "./wait";

export interface QueueUnderTest {
  readonly backend: "embedded" | "bullmq";
  /** A queue on this database running these jobs, with settings suited to tests (short polls and heartbeats). */
  make(prisma: PrismaClient, jobs: readonly JobDefinition<unknown>[], settings?: Record<string, unknown>): JobQueue;
  /** After each test, once its queues are stopped (e.g. remove Redis keys). */
  cleanup?(): Promise<void>;
}

export function describeJobQueueContract(label: string, fresh: () => Promise<TestDatabase>, subject: QueueUnderTest): void {
  describe(`JobQueue contract: ${label}`, () => {
    const t = useTestDatabase(fresh);
    const queues: JobQueue[] = [];
    let probe: JobProbe;
    const queue = (settings?: Record<string, unknown>) => {
      probe ??= new JobProbe();
      const q = subject.make(t.prisma, probeJobs(probe, t.prisma), settings);
      queues.push(q);
      return q;
    };

    afterEach(async () => {
      await Promise.all(queues.splice(0).map((q) => q.stop()));
      await subject.cleanup?.();
      probe = new JobProbe();
    });

    it("runs an enqueued job and records it in the Job table", async () => {
      const q = queue();
      await q.start();
      const { id } = await q.enqueue("echo", { value: "hi" });
      const done = await waitForJob(q, id, ["completed"]);
      expect(done).toMatchObject({ kind: "echo", status: "completed", payload: { value: "hi" }, result: { echoed: "hi" }, error: null, attempts: 1, maxAttempts: 3, lockedBy: q.workerId });
      expect(done.startedAt).not.toBeNull();
      expect(done.finishedAt).not.toBeNull();
      expect(probe.runsOf(id)).toEqual([{ kind: "echo", jobId: id, attempt: 1, workerId: q.workerId }]);
      const page = await q.list({ kind: "echo", status: "completed" }, { page: 1, limit: 1 });
      expect(page).toMatchObject({ page: 1, limit: 1, items: [{ id }] });
      expect(page.total).toBeGreaterThanOrEqual(1);
      expect((await q.list({ kind: "no-such-kind" })).total).toBe(0);
    });

    it("validates payloads, kinds and options on enqueue, naming the field, and records nothing", async () => {
      const q = queue();
      await q.start();
      const before = await t.prisma.job.count();
      await expect(q.enqueue("echo", { value: 3 })).rejects.toSatisfy((e: InvalidInputError) => e instanceof InvalidInputError && e.issues[0]!.field === "payload.value");
      await expect(q.enqueue("echo", {})).rejects.toThrow(/payload\.value/);
      await expect(q.enqueue("nope", {})).rejects.toSatisfy((e: InvalidInputError) => e.code === "INVALID" && e.issues[0]!.field === "kind" && /"echo"/.test(e.issues[0]!.message));
      await expect(q.enqueue("echo", { value: "x" }, { priority: 5000 })).rejects.toSatisfy((e: InvalidInputError) => e.issues[0]!.field === "options.priority");
      await expect(q.list({ status: "done" as never })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(q.get("missing")).rejects.toBeInstanceOf(NotFoundError);
      expect(await t.prisma.job.count()).toBe(before);
    });

    it("retries a crashing job up to maxAttempts, then fails it, and keeps working", async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      try {
        const q = queue({ retryDelayMs: 10 });
        await q.start();
        const crashes = await Promise.all((["async", "sync", "non-error"] as const).map((mode) => q.enqueue("crash", { message: `boom ${mode}`, mode })));
        const flaky = await q.enqueue("flaky", { failures: 2 });
        const permanent = await q.enqueue("crash", { message: "no point retrying", mode: "permanent" });
        for (const [i, { id }] of crashes.entries()) {
          const failed = await waitForJob(q, id, ["failed"]);
          expect(failed).toMatchObject({ status: "failed", attempts: 3, error: `boom ${["async", "sync", "non-error"][i]}` });
          expect(probe.runsOf(id).map((r) => r.attempt)).toEqual([1, 2, 3]);
        }
        expect(await waitForJob(q, flaky.id, ["completed"])).toMatchObject({ attempts: 3, result: { attempt: 3 }, error: null });
        expect(await waitForJob(q, permanent.id, ["failed"])).toMatchObject({ attempts: 1, error: "no point retrying" });
        // The failed hook ran once per job that failed for good, never for the one that recovered.
        await probe.until(() => probe.hooks.filter((h) => h.hook === "failed").length === 4, 10_000, "four failed hooks");
        expect(probe.hooks.filter((h) => h.hook === "failed").map((h) => h.jobId).sort()).toEqual([...crashes.map((c) => c.id), permanent.id].sort());
        // The queue is unaffected: the next job runs as usual.
        const after = await q.enqueue("echo", { value: "still here" });
        expect(await waitForJob(q, after.id, ["completed"])).toMatchObject({ result: { echoed: "still here" } });
        expect(unhandled).toEqual([]);
      } finally {
        process.off("unhandledRejection", onUnhandled);
      }
    });

    it("cancels: a queued job never runs, a running job's signal aborts with reason cancelled", async () => {
      const q = queue();
      await q.start();
      const later = await q.enqueue("echo", { value: "later" }, { delayMs: 60_000 });
      const cancelled = await q.cancel(later.id);
      expect(cancelled).toMatchObject({ status: "cancelled", lockedBy: null });
      expect(cancelled.finishedAt).not.toBeNull();
      expect(probe.hooks).toEqual([{ hook: "cancelled", jobId: later.id, info: { jobId: later.id, wasRunning: false } }]);
      expect((await q.cancel(later.id)).status).toBe("cancelled");

      const running = await q.enqueue("wait", {});
      await probe.until(() => probe.runsOf(running.id).length === 1, 20_000, "the wait job to start");
      expect((await q.cancel(running.id)).status).toBe("cancelled");
      await probe.until(() => probe.aborted.some((a) => a.jobId === running.id), 20_000, "the wait job to see its abort");
      expect(probe.aborted.find((a) => a.jobId === running.id)!.reason).toBe("cancelled");
      const ended = await waitUntil(() => q.get(running.id), (j) => j.finishedAt !== null, "the cancelled job's bookkeeping");
      expect(ended).toMatchObject({ status: "cancelled", attempts: 1 });
      expect(probe.hooks.at(-1)).toEqual({ hook: "cancelled", jobId: running.id, info: { jobId: running.id, wasRunning: true } });

      const done = await q.enqueue("echo", { value: "done" });
      await waitForJob(q, done.id, ["completed"]);
      expect((await q.cancel(done.id)).status).toBe("completed");
      await expect(q.cancel("missing")).rejects.toBeInstanceOf(NotFoundError);
      await new Promise((r) => setTimeout(r, 200));
      expect(probe.runsOf(later.id)).toEqual([]);
    });

    it("aborts a job past its timeoutMs and fails the attempt", async () => {
      const q = queue();
      await q.start();
      const { id } = await q.enqueue("slow", {});
      const failed = await waitForJob(q, id, ["failed"]);
      expect(failed.error).toMatch(/timed out after 200 ms/);
      expect(failed.attempts).toBe(1);
      expect(probe.aborted.find((a) => a.jobId === id)?.reason).toBe("timeout");
    });

    it("stops gracefully: running jobs stop at their next checkpoint, are re-queued uncounted, and resume in a new queue", async () => {
      const first = queue();
      await first.start();
      const { id } = await first.enqueue("steps", { steps: 12, stepMs: 40 });
      await probe.until(() => probe.steps.filter((s) => s.jobId === id).length >= 3, 20_000, "three steps");
      await first.stop();
      const paused = await first.get(id);
      expect(paused).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
      const reached = (paused.progress as { step: number }).step;
      expect(reached).toBeGreaterThanOrEqual(3);
      expect(probe.aborted.find((a) => a.jobId === id)?.reason).toBe("shutdown");
      await new Promise((r) => setTimeout(r, 150));
      expect((await first.get(id)).status).toBe("queued");

      const second = queue();
      await second.start();
      const done = await waitForJob(second, id, ["completed"]);
      expect(done).toMatchObject({ attempts: 1, result: { steps: 12, resumedFrom: reached }, lockedBy: second.workerId });
      const steps = probe.steps.filter((s) => s.jobId === id).map((s) => s.step);
      expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it("runs higher priorities first", async () => {
      const q = queue({ concurrency: 1 });
      const ids: string[] = [];
      for (const [value, priority] of [["low", -5], ["default", 0], ["high", 10], ["default-2", 0]] as const) {
        ids.push((await q.enqueue("echo", { value }, { priority })).id);
        await new Promise((r) => setTimeout(r, 5)); // distinct creation times: equal priorities run oldest first
      }
      await q.start();
      await Promise.all(ids.map((id) => waitForJob(q, id, ["completed"])));
      const order = probe.runs.filter((r) => r.kind === "echo").map((r) => ids.indexOf(r.jobId));
      expect(order).toEqual([2, 1, 3, 0]);
    });
  });
}
