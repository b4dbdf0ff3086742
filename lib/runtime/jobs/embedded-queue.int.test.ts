// The embedded backend: the JobQueue contract on PGlite and PostgreSQL, plus what is its own:
// recovery of jobs whose process died, heartbeats, and attempts as supervised children.
import { hostname } from "node:os";
import { describe, expect, it, afterEach } from "vitest";
import { BACKENDS } from "../../db/testing";
import { useTestDatabase } from "../store/testing";
import { startSupervisor, type SupervisorChildEvent } from "../supervisor";
import { createEmbeddedJobQueue, type JobQueue } from "./index";
import { describeJobQueueContract, JobProbe, probeJobs, waitForJob, waitUntil } from "./testing";

const TEST_SETTINGS = { pollMs: 20, heartbeatMs: 50, shutdownMs: 2000, retryDelayMs: 10 };

for (const { backend, fresh } of BACKENDS) {
  describeJobQueueContract(`embedded on ${backend}`, fresh, {
    backend: "embedded",
    make: (prisma, jobs, settings) => createEmbeddedJobQueue({ prisma, jobs, ...TEST_SETTINGS, ...settings }),
  });
}

describe.each(BACKENDS)("the embedded job queue on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const queues: JobQueue[] = [];
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });
  const make = (probe: JobProbe, settings: Record<string, unknown> = {}) => {
    const q = createEmbeddedJobQueue({ prisma: t.prisma, jobs: probeJobs(probe, t.prisma), ...TEST_SETTINGS, ...settings });
    queues.push(q);
    return q;
  };
  const orphan = (data: { lockedBy: string; attempts: number; heartbeatAt?: Date; status?: "running" | "cancelled" }) =>
    t.prisma.job.create({
      data: { kind: "echo", payload: { value: data.lockedBy }, status: data.status ?? "running", lockedBy: data.lockedBy, attempts: data.attempts, maxAttempts: 2, heartbeatAt: data.heartbeatAt ?? new Date(), startedAt: new Date() },
    });

  it("re-queues jobs left running by a dead process at start (failing those on their last attempt) and leaves live ones alone", async () => {
    const dead = `${hostname()}:999999:deadbeef`;
    const resumable = await orphan({ lockedBy: dead, attempts: 1 });
    const exhausted = await orphan({ lockedBy: dead, attempts: 2 });
    const cancelledWhileRunning = await orphan({ lockedBy: dead, attempts: 1, status: "cancelled" });
    const silent = await orphan({ lockedBy: "elsewhere:42:cafe", attempts: 1, heartbeatAt: new Date(Date.now() - 1_200_000) });
    const alive = await orphan({ lockedBy: "elsewhere:43:beef", attempts: 1 });
    const probe = new JobProbe();
    // The periodic check comes only after staleAfterMs / 2 (5 minutes): within this test, only the check at start acts.
    const q = make(probe, { staleAfterMs: 600_000 });
    await q.start();

    expect(await waitForJob(q, resumable.id, ["completed"], 10_000)).toMatchObject({ attempts: 2, result: { echoed: dead }, lockedBy: q.workerId });
    expect(await waitForJob(q, silent.id, ["completed"], 10_000)).toMatchObject({ attempts: 2 });
    const failed = await q.get(exhausted.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 2 });
    expect(failed.error).toMatch(/worker .*deadbeef stopped during attempt 2, the last one allowed/);
    expect(await q.get(cancelledWhileRunning.id)).toMatchObject({ status: "cancelled", lockedBy: null });
    expect(probe.hooks.map((h) => [h.hook, h.jobId]).sort()).toEqual([["cancelled", cancelledWhileRunning.id], ["failed", exhausted.id]].sort());
    expect(probe.hooks.find((h) => h.hook === "cancelled")!.info).toEqual({ jobId: cancelledWhileRunning.id, wasRunning: false });
    // A job whose worker still sends heartbeats is not touched.
    expect(await q.get(alive.id)).toMatchObject({ status: "running", lockedBy: "elsewhere:43:beef", attempts: 1 });
    await t.prisma.job.delete({ where: { id: alive.id } });
  });

  it("sends heartbeats, and aborts a job another process cancelled in the table", async () => {
    const probe = new JobProbe();
    const q = make(probe);
    await q.start();
    const { id } = await q.enqueue("wait", {});
    await probe.until(() => probe.runsOf(id).length === 1);
    const first = (await q.get(id)).heartbeatAt!;
    await waitUntil(() => q.get(id), (j) => j.heartbeatAt! > first, "a newer heartbeat", 5000);
    // Another process (e.g. a web node on the same PostgreSQL) cancels it through the table only.
    await t.prisma.job.update({ where: { id }, data: { status: "cancelled" } });
    await probe.until(() => probe.aborted.some((a) => a.jobId === id), 5000, "the abort");
    expect(probe.aborted.find((a) => a.jobId === id)!.reason).toBe("cancelled");
    expect((await waitUntil(() => q.get(id), (j) => j.finishedAt !== null, "bookkeeping")).status).toBe("cancelled");
  });

  it("runs each attempt as a temporary child of the jobs supervisor, under the runtime's supervisor when given one", async () => {
    const events: SupervisorChildEvent[] = [];
    const root = await startSupervisor({ path: "root", onEvent: (e) => events.push(e) });
    try {
      const probe = new JobProbe();
      const q = make(probe, { supervisor: root });
      await q.start();
      expect(root.snapshot().children).toMatchObject([{ id: "jobs", type: "supervisor", restart: "temporary", state: "running" }]);
      const crash = await q.enqueue("crash", { message: "kaboom", mode: "permanent" });
      const ok = await q.enqueue("echo", { value: "fine" });
      await waitForJob(q, crash.id, ["failed"]);
      await waitForJob(q, ok.id, ["completed"]);
      const jobEvents = events.filter((e) => e.supervisor === "root/jobs");
      const crashed = jobEvents.filter((e) => e.child.startsWith(`job:${crash.id}:`));
      expect(crashed.map((e) => e.state)).toEqual(["starting", "running", "failed"]);
      expect(crashed.at(-1)!.lastError).toMatch(/kaboom/);
      expect(jobEvents.filter((e) => e.child.startsWith(`job:${ok.id}:`)).map((e) => e.state)).toEqual(["starting", "running", "stopped"]);
      expect(jobEvents.some((e) => e.state === "restarting")).toBe(false);
      await q.stop();
      expect(root.snapshot().children).toEqual([]);
      expect(root.snapshot().state).toBe("running");
    } finally {
      await root.stop();
    }
  });

  it("refuses bad options and duplicate kinds before anything runs", () => {
    const probe = new JobProbe();
    expect(() => createEmbeddedJobQueue({ prisma: t.prisma, jobs: probeJobs(probe, t.prisma), concurrency: 0 })).toThrow(/concurrency must be at least 1/);
    expect(() => createEmbeddedJobQueue({ prisma: t.prisma, jobs: probeJobs(probe, t.prisma), pollms: 5 } as never)).toThrow(/pollms is not an option/);
    const jobs = probeJobs(probe, t.prisma);
    expect(() => createEmbeddedJobQueue({ prisma: t.prisma, jobs: [...jobs, jobs[0]!] })).toThrow(/"echo" is defined twice/);
  });
});
