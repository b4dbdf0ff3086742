// kill -9 in the middle of an optimization job: a new queue on the same database re-queues the
// job at start, and it finishes with the result of an uninterrupted run, running no trial again
// that finished (was stored and announced) before the kill.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import type { OptimizationReport } from "../../dspex";
import { getOptimization, listTrials } from "../store";
import { createEmbeddedJobQueue, createOptimizationJob, OPTIMIZATION_JOB, type JobQueue } from "./index";
import { demoLMFor, recordingPublisher, referenceRun, setUpOptimizationFixture, waitForJob, type RecordedEvent } from "./testing";

const CHILD = path.join(import.meta.dirname, "testing", "optimization-worker-child.ts");

/** Runs the child until it has announced `killAfter` trials, then kills it with SIGKILL. */
function runAndKill(config: TestDatabase["config"], killAfter: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(config), "10"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (lines.filter((l) => l.startsWith("TRIAL ")).length === killAfter) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => resolve({ lines, signal }));
  });
}

describe.each(BACKENDS)("an optimization job killed with SIGKILL on $backend", ({ fresh }) => {
  let test: TestDatabase;
  let db: Database | undefined;
  let queue: JobQueue | undefined;
  beforeAll(async () => {
    test = await fresh();
  });
  afterAll(async () => {
    await queue?.stop();
    await db?.close();
    await test?.destroy();
  });

  it("is re-queued by the next queue at start and ends like an uninterrupted run, repeating no finished trial", async () => {
    db = await openDatabase(test.config);
    const fixture = await setUpOptimizationFixture(db.prisma);
    const reference: OptimizationReport = await referenceRun(db.prisma, fixture);
    const optimization = await fixture.create();
    const none = recordingPublisher();
    const job = createOptimizationJob({ prisma: db.prisma, resolver: fixture.resolver, lmFor: demoLMFor(), publish: none.publish });
    const { id } = await createEmbeddedJobQueue({ prisma: db.prisma, jobs: [job] }).enqueue(OPTIMIZATION_JOB, { optimizationId: optimization.id });
    // The embedded database belongs to one process at a time: the "server" below owns it now.
    await db.close();
    db = undefined;

    const killed = await runAndKill(test.config, 6);
    expect(killed.signal).toBe("SIGKILL");
    const childWorker = killed.lines.find((l) => l.startsWith("READY "))!.slice(6);
    const announced = killed.lines.filter((l) => l.startsWith("TRIAL ")).map((l) => Number(l.split(" ")[1]));
    expect(announced.length).toBeGreaterThanOrEqual(6);

    db = await openDatabase(test.config);
    const left = await db.prisma.job.findUniqueOrThrow({ where: { id } });
    expect(left).toMatchObject({ status: "running", lockedBy: childWorker, attempts: 1 });
    expect((await getOptimization(db.prisma, optimization.id)).status).toBe("running");
    const storedBefore = (await listTrials(db.prisma, { optimizationId: optimization.id, status: "complete", limit: 100 })).items.map((r) => r.number);
    expect(storedBefore).toEqual(expect.arrayContaining(announced));
    expect(storedBefore.length).toBeLessThan(reference.trials.length);

    const { events, publish } = recordingPublisher();
    const restarted = createOptimizationJob({ prisma: db.prisma, resolver: fixture.resolver, lmFor: demoLMFor(), publish });
    // Its periodic orphan check comes after staleAfterMs / 2 (5 minutes): only the check at start can pick the job up in time.
    queue = createEmbeddedJobQueue({ prisma: db.prisma, jobs: [restarted], pollMs: 20, staleAfterMs: 600_000 });
    await queue.start();
    const done = await waitForJob(queue, id, ["completed", "failed"], 90_000);
    expect(done).toMatchObject({ status: "completed", attempts: 2, lockedBy: queue.workerId });

    const trials = events.flatMap((e: RecordedEvent) => (e.name === "trial:finished" ? [e.payload] : []));
    const ran = trials.filter((p) => !p.replayed).map((p) => p.number);
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((n) => storedBefore.includes(n))).toEqual([]);
    expect(trials.filter((p) => p.replayed).map((p) => p.number)).toEqual(expect.arrayContaining(storedBefore));
    expect(ran.length + trials.filter((p) => p.replayed).length).toBe(reference.trials.length);

    const view = await getOptimization(db.prisma, optimization.id);
    expect(view).toMatchObject({ status: "completed", bestScore: reference.bestScore, baselineScore: reference.baselineScore, trialCount: reference.trials.length });
    expect((view.report as { best: { config: unknown } }).best.config).toEqual(reference.config);
    const rows = (await listTrials(db.prisma, { optimizationId: optimization.id, limit: 100 })).items;
    expect(rows.map((r) => [r.number, r.score, r.status])).toEqual(reference.trials.map((x) => [x.number, x.score ?? null, x.state]));
  }, 180_000);
});
