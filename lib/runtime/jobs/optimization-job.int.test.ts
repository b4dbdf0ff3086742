// The optimization job on the embedded queue, on PGlite and PostgreSQL: its events, report and
// final version; stop (cancel) and resume (enqueue again); a graceful stop; failures.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { getOptimization, listTrials } from "../store";
import { useTestDatabase } from "../store/testing";
import type { OptimizationReport } from "../../dspex";
import { createBullJobQueue, createEmbeddedJobQueue, createOptimizationJob, enqueueOptimization, liveOptimizationJobs, OPTIMIZATION_JOB, stopOptimization, type JobQueue, type OptimizationJobDependencies } from "./index";
import { demoLMFor, recordingPublisher, referenceRun, removeRedisKeys, setUpOptimizationFixture, TEST_REDIS_URL, testRedisPrefix, waitForJob, waitUntil, type OptimizationFixture, type RecordedEvent } from "./testing";

const SETTINGS = { pollMs: 20, heartbeatMs: 100, shutdownMs: 5000, retryDelayMs: 10 };

const trialEvents = (events: RecordedEvent[]) => events.flatMap((e) => (e.name === "trial:finished" ? [e.payload] : []));
const statusEvents = (events: RecordedEvent[]) => events.flatMap((e) => (e.name === "optimization:status" ? [e.payload] : []));

describe.each(BACKENDS)("the optimization job on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let fixture: OptimizationFixture;
  let reference: OptimizationReport;
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    fixture = await setUpOptimizationFixture(t.prisma);
    reference = await referenceRun(t.prisma, fixture);
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });

  const queueWith = (deps: Partial<OptimizationJobDependencies> & Pick<OptimizationJobDependencies, "publish">, settings: Record<string, unknown> = {}) => {
    const job = createOptimizationJob({ prisma: t.prisma, resolver: fixture.resolver, lmFor: demoLMFor(), ...deps });
    const q = createEmbeddedJobQueue({ prisma: t.prisma, jobs: [job], ...SETTINGS, ...settings });
    queues.push(q);
    return q;
  };

  /** The optimization ended exactly like the uninterrupted reference run. */
  const expectSameAsReference = async (optimizationId: string) => {
    const view = await getOptimization(t.prisma, optimizationId);
    expect(view).toMatchObject({ status: "completed", bestScore: reference.bestScore, baselineScore: reference.baselineScore, trialCount: reference.trials.length });
    expect((view.report as { best: { config: unknown } }).best.config).toEqual(reference.config);
    const rows = (await listTrials(t.prisma, { optimizationId, limit: 100 })).items;
    expect(rows.map((r) => [r.number, r.score, r.status])).toEqual(reference.trials.map((x) => [x.number, x.score ?? null, x.state]));
    return view;
  };

  it("runs an optimization: trials announced once stored, statuses, the report, and an unpromoted version", async () => {
    const optimization = await fixture.create();
    const stored: boolean[] = [];
    const { events, publish } = recordingPublisher(async (e) => {
      if (e.name !== "trial:finished") return;
      const row = await t.prisma.trial.findUnique({ where: { optimizationId_number: { optimizationId: optimization.id, number: e.payload.number } } });
      stored.push(row !== null);
    });
    const q = queueWith({ publish });
    await q.start();
    const { id } = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
    const job = await waitForJob(q, id, ["completed", "failed"], 120_000);
    expect(job).toMatchObject({ status: "completed", attempts: 1 });

    const view = await expectSameAsReference(optimization.id);
    expect(view.jobId).toBe(id);
    expect(view.startedAt).not.toBeNull();
    expect(view.endedAt).not.toBeNull();

    // trial:finished: every trial once, in order, each published after its row was committed.
    const trials = trialEvents(events);
    expect(trials.map((p) => p.number)).toEqual(reference.trials.map((x) => x.number));
    expect(trials.every((p) => p.optimizationId === optimization.id && !p.replayed)).toBe(true);
    expect(trials.map((p) => p.score)).toEqual(reference.trials.map((x) => x.score ?? null));
    expect(stored.length).toBe(trials.length);
    expect(stored.every(Boolean)).toBe(true);
    // optimization:status: running while trials finish (totals growing), completed at the end.
    const statuses = statusEvents(events);
    expect(statuses[0]).toMatchObject({ status: "running", trials: 0 });
    expect(statuses.at(-1)).toMatchObject({ status: "completed", trials: reference.trials.length, bestScore: reference.bestScore, baselineScore: reference.baselineScore, lmCalls: reference.spend.lmCalls });
    const running = statuses.filter((s) => s.status === "running" && s.message === null).map((s) => s.trials);
    expect(running).toEqual([...running].sort((a, b) => a - b));
    expect(running.at(-1)).toBe(reference.trials.length);
    expect((await q.get(id)).progress).toMatchObject({ trials: reference.trials.length, bestScore: reference.bestScore });

    // The report and the version: authored by the optimization, parent the base version, not active.
    const report = view.report as Record<string, unknown>;
    expect(report).toMatchObject({ optimizer: reference.optimizer, baseline: { score: reference.baselineScore }, best: { score: reference.bestScore }, stopReason: "completed", trials: reference.trials.length, split: { heldOut: false } });
    expect((report.paretoFront as unknown[]).length).toBe(reference.paretoFront.length);
    expect(report.spend).toMatchObject({ lmCalls: reference.spend.lmCalls, usd: reference.spend.usd });
    expect(reference.bestScore).toBeGreaterThan(reference.baselineScore);
    const version = await t.prisma.programVersion.findUniqueOrThrow({ where: { id: view.resultVersionId! }, include: { program: true } });
    expect(version).toMatchObject({ authorKind: "optimization", authorId: optimization.id, parentId: fixture.baseVersionId, number: 2 });
    expect(version.program.activeVersionId).toBe(fixture.baseVersionId);
    const resolved = await fixture.resolver.resolveProgram("classify", version.id);
    for (const [name, value] of Object.entries(reference.config)) expect(resolved.config[name]).toEqual(value);
    expect(job.result).toEqual({ optimizationId: optimization.id, status: "completed", bestScore: reference.bestScore, baselineScore: reference.baselineScore, trials: reference.trials.length, resultVersionId: version.id });
  });

  it("stops on cancel (checkpoint kept) and resumes when enqueued again, repeating no finished trial", async () => {
    const optimization = await fixture.create();
    const holder: { queue?: JobQueue } = {};
    let jobId = "";
    const { events, publish } = recordingPublisher(async (e) => {
      // Stop it from inside the run once five trials are stored.
      if (e.name === "trial:finished" && !e.payload.replayed && trialEvents(events).length === 5 && jobId) await holder.queue!.cancel(jobId);
    });
    const q = (holder.queue = queueWith({ publish }));
    await q.start();
    jobId = (await q.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id })).id;
    await waitUntil(() => q.get(jobId), (j) => j.status === "cancelled" && j.finishedAt !== null, "the cancelled job", 60_000);
    const stopped = await waitUntil(() => getOptimization(t.prisma, optimization.id), (o) => o.status === "stopped", "status stopped");
    expect(stopped.hasCheckpoint).toBe(true);
    expect(statusEvents(events).at(-1)).toMatchObject({ status: "stopped" });
    const storedBefore = (await listTrials(t.prisma, { optimizationId: optimization.id, status: "complete", limit: 100 })).items.map((r) => r.number);
    expect(storedBefore.length).toBeGreaterThanOrEqual(5);
    expect(storedBefore.length).toBeLessThan(reference.trials.length);

    const before = events.length;
    const again = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
    expect(await waitForJob(q, again.id, ["completed", "failed"], 120_000)).toMatchObject({ status: "completed", attempts: 1 });
    const resumed = trialEvents(events.slice(before));
    const ranAgain = resumed.filter((p) => !p.replayed).map((p) => p.number);
    expect(ranAgain.filter((n) => storedBefore.includes(n))).toEqual([]);
    expect(resumed.filter((p) => p.replayed).map((p) => p.number)).toEqual(expect.arrayContaining(storedBefore));
    expect(statusEvents(events.slice(before))[0]).toMatchObject({ status: "running", message: expect.stringMatching(/^resumed: \d+ finished trials/) });
    const view = await expectSameAsReference(optimization.id);
    expect(view.jobId).toBe(again.id);
  });

  it("goes back to queued on a graceful stop and resumes in a new queue", async () => {
    const optimization = await fixture.create();
    const holder: { first?: JobQueue; stopping?: Promise<void> } = {};
    const { events, publish } = recordingPublisher((e) => {
      // A shutdown begins while the fourth trial is being announced (not awaited: stop waits for the run).
      if (e.name === "trial:finished" && trialEvents(events).length === 4 && !holder.stopping) holder.stopping = holder.first!.stop();
    });
    const first = (holder.first = queueWith({ publish }));
    await first.start();
    const { id } = await first.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
    await waitUntil(async () => holder.stopping !== undefined, Boolean, "the shutdown to begin", 60_000);
    await holder.stopping;
    expect(await first.get(id)).toMatchObject({ status: "queued", attempts: 0 });
    expect((await getOptimization(t.prisma, optimization.id)).status).toBe("queued");
    expect(statusEvents(events).at(-1)).toMatchObject({ status: "queued", message: expect.stringMatching(/shutting down/) });
    const storedBefore = (await listTrials(t.prisma, { optimizationId: optimization.id, status: "complete", limit: 100 })).items.map((r) => r.number);

    const before = events.length;
    const second = queueWith({ publish });
    await second.start();
    expect(await waitForJob(second, id, ["completed", "failed"], 120_000)).toMatchObject({ status: "completed", attempts: 1 });
    expect(trialEvents(events.slice(before)).filter((p) => !p.replayed && storedBefore.includes(p.number))).toEqual([]);
    await expectSameAsReference(optimization.id);
  });

  it("fails at once, naming the problem, when the setup cannot work", async () => {
    const { events, publish } = recordingPublisher();
    const q = queueWith({ publish });
    await q.start();
    const cases = [
      { patch: { optimizer: "nope" }, error: /optimizer "nope" is not one of auto, labeled-few-shot/ },
      { patch: { options: { auto: "light", bogus: 1 } }, error: /options\.bogus is not an option/ },
      { patch: { datasetVersionId: null }, error: /has no dataset version/ },
    ];
    for (const c of cases) {
      const optimization = await fixture.create(c.patch);
      const { id } = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
      const job = await waitForJob(q, id, ["failed", "completed"]);
      expect(job).toMatchObject({ status: "failed", attempts: 1 });
      expect(job.error).toMatch(c.error);
      const view = await getOptimization(t.prisma, optimization.id);
      expect(view.status).toBe("failed");
      expect(view.error).toMatch(c.error);
      expect(statusEvents(events).filter((s) => s.optimizationId === optimization.id).at(-1)).toMatchObject({ status: "failed" });
    }
    const missing = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: "no-such-optimization" });
    expect((await waitForJob(q, missing.id, ["failed"])).error).toMatch(/optimization no-such-optimization does not exist/);
    await expect(q.enqueue(OPTIMIZATION_JOB, { optimizationId: "" })).rejects.toThrow(/payload\.optimizationId/);
  });

  it("retries from the checkpoint after a failed attempt, and is stopped when cancelled before it starts", async () => {
    const { events, publish } = recordingPublisher();
    // The database drops the connection once, during the fourth checkpoint write: the attempt fails mid-run.
    let batches = 0;
    const flaky = new Proxy(t.prisma, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (prop === "$transaction") {
          return (arg: unknown, ...rest: unknown[]) =>
            Array.isArray(arg) && ++batches === 4 ? Promise.reject(new Error("connection reset by peer")) : (value as (...a: unknown[]) => unknown).call(target, arg, ...rest);
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const q = queueWith({ publish, prisma: flaky });
    await q.start();
    const optimization = await fixture.create();
    const { id } = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
    expect(await waitForJob(q, id, ["completed", "failed"], 120_000)).toMatchObject({ status: "completed", attempts: 2 });
    const mine = statusEvents(events).filter((s) => s.optimizationId === optimization.id);
    const retry = mine.findIndex((s) => s.status === "queued");
    expect(mine[retry]?.message).toMatch(/attempt 1 of 3 failed \(connection reset by peer\); retrying from the checkpoint/);
    const trials = trialEvents(events).filter((p) => p.optimizationId === optimization.id);
    const firstAttempt = trials.filter((p) => !p.replayed).slice(0, trials.findIndex((p) => p.replayed));
    expect(firstAttempt.length).toBeGreaterThan(0);
    expect(trials.filter((p) => p.replayed).map((p) => p.number)).toEqual(firstAttempt.map((p) => p.number));
    expect(trials.filter((p) => !p.replayed).length).toBe(reference.trials.length);
    await expectSameAsReference(optimization.id);

    const later = await fixture.create();
    const delayed = await q.enqueue(OPTIMIZATION_JOB, { optimizationId: later.id }, { delayMs: 60_000 });
    await q.cancel(delayed.id);
    expect((await getOptimization(t.prisma, later.id)).status).toBe("stopped");
  });

  it("launches, stops and resumes through enqueueOptimization / stopOptimization, one job at a time", async () => {
    const optimization = await fixture.create();
    const holder: { queue?: JobQueue; stopped?: boolean; stray?: string } = {};
    const { events, publish } = recordingPublisher(async (e) => {
      if (e.name !== "trial:finished" || e.payload.replayed) return;
      const ran = trialEvents(events).filter((p) => !p.replayed).length;
      // A stray second job while it runs (a double click, a raw enqueue): refused, the run goes on.
      if (ran === 3 && !holder.stray) holder.stray = (await holder.queue!.enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id })).id;
      if (ran === 8 && !holder.stopped) {
        holder.stopped = true;
        expect((await stopOptimization(holder.queue!, t.prisma, optimization.id)).status).toMatch(/^(stopping|stopped)$/);
      }
    });
    const q = (holder.queue = queueWith({ publish }, { concurrency: 2 }));

    // Launched before any worker runs: the row names its job; launching again returns the same job.
    const first = await enqueueOptimization(q, t.prisma, optimization.id);
    expect(await enqueueOptimization(q, t.prisma, optimization.id)).toEqual(first);
    expect(await getOptimization(t.prisma, optimization.id)).toMatchObject({ status: "queued", jobId: first.jobId });
    // Stopped before it started: its job is cancelled, the optimization stopped.
    expect((await stopOptimization(q, t.prisma, optimization.id)).status).toBe("stopped");
    expect((await q.get(first.jobId)).status).toBe("cancelled");

    // Resumed, stopped mid-run (after a stray job was refused), resumed again to the end.
    const second = await enqueueOptimization(q, t.prisma, optimization.id);
    expect(second.jobId).not.toBe(first.jobId);
    expect((await getOptimization(t.prisma, optimization.id)).status).toBe("queued");
    await q.start();
    await waitUntil(() => getOptimization(t.prisma, optimization.id), (o) => o.status === "stopped", "stopped mid-run", 60_000);
    const stray = await waitForJob(q, holder.stray!, ["failed", "completed"]);
    expect(stray).toMatchObject({ status: "failed", attempts: 1 });
    expect(stray.error).toMatch(new RegExp(`already runs under job ${second.jobId}`));
    expect(await liveOptimizationJobs(t.prisma, optimization.id)).toEqual([]);
    const before = (await listTrials(t.prisma, { optimizationId: optimization.id, status: "complete", limit: 100 })).items.map((r) => r.number);
    expect(before.length).toBeGreaterThanOrEqual(8);

    const mark = events.length;
    const third = await enqueueOptimization(q, t.prisma, optimization.id);
    expect(await waitForJob(q, third.jobId, ["completed", "failed"], 120_000)).toMatchObject({ status: "completed" });
    expect(trialEvents(events.slice(mark)).filter((p) => !p.replayed && before.includes(p.number))).toEqual([]);
    const view = await expectSameAsReference(optimization.id);
    expect(view).toMatchObject({ jobId: third.jobId, error: null });
    await expect(enqueueOptimization(q, t.prisma, optimization.id)).rejects.toThrow(/is completed/);
  });

  it("runs the same way on the BullMQ backend", async () => {
    const prefix = testRedisPrefix("optimization");
    try {
      const optimization = await fixture.create();
      const { events, publish } = recordingPublisher();
      const job = createOptimizationJob({ prisma: t.prisma, resolver: fixture.resolver, lmFor: demoLMFor(), publish });
      const q = createBullJobQueue({ prisma: t.prisma, jobs: [job], redisUrl: TEST_REDIS_URL, prefix, heartbeatMs: 100 });
      queues.push(q);
      await q.start();
      const { jobId } = await enqueueOptimization(q, t.prisma, optimization.id);
      expect(await waitForJob(q, jobId, ["completed", "failed"], 120_000)).toMatchObject({ status: "completed", attempts: 1, lockedBy: q.workerId });
      await expectSameAsReference(optimization.id);
      expect(trialEvents(events).map((p) => p.number)).toEqual(reference.trials.map((x) => x.number));
      expect(statusEvents(events).at(-1)?.status).toBe("completed");
    } finally {
      await Promise.all(queues.splice(0).map((q) => q.stop()));
      await removeRedisKeys(prefix);
    }
  });
});
