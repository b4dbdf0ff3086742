// The BullMQ backend on a real Redis: the JobQueue contract on PGlite and PostgreSQL, work shared
// between workers, web nodes that only enqueue, and a killed (or stopped) worker's job taken over
// by another worker process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, freshPostgresDatabase, type TestDatabase } from "../../db/testing";
import { useTestDatabase } from "../store/testing";
import { createBullJobQueue, type JobQueue } from "./index";
import { describeJobQueueContract, JobProbe, probeJobs, removeRedisKeys, TEST_REDIS_URL, testRedisPrefix, waitForJob } from "./testing";

const TEST_SETTINGS = { heartbeatMs: 100, shutdownMs: 2000, retryDelayMs: 10, lockDurationMs: 2000, stalledIntervalMs: 1000 };

for (const { backend, fresh } of BACKENDS) {
  const prefix = testRedisPrefix(`contract-${backend}`);
  describeJobQueueContract(`bullmq on ${backend}`, fresh, {
    backend: "bullmq",
    make: (prisma, jobs, settings) => createBullJobQueue({ prisma, jobs, redisUrl: TEST_REDIS_URL, prefix, ...TEST_SETTINGS, ...settings }),
    cleanup: () => removeRedisKeys(prefix),
  });
}

describe.each(BACKENDS)("bullmq workers on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const queues: JobQueue[] = [];
  let prefix = testRedisPrefix("workers");
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    await removeRedisKeys(prefix);
    prefix = testRedisPrefix("workers");
  });
  const make = (probe: JobProbe, settings: Record<string, unknown> = {}) => {
    const q = createBullJobQueue({ prisma: t.prisma, jobs: probeJobs(probe, t.prisma), redisUrl: TEST_REDIS_URL, prefix, ...TEST_SETTINGS, ...settings });
    queues.push(q);
    return q;
  };

  it("shares the work between two worker instances", async () => {
    const probe = new JobProbe();
    const a = make(probe, { concurrency: 1 });
    const b = make(probe, { concurrency: 1 });
    await Promise.all([a.start(), b.start()]);
    const ids = await Promise.all(Array.from({ length: 8 }, () => a.enqueue("steps", { steps: 3, stepMs: 40 }).then((j) => j.id)));
    const done = await Promise.all(ids.map((id) => waitForJob(b, id, ["completed"])));
    expect(done.every((j) => j.attempts === 1)).toBe(true);
    const byWorker = new Map<string, number>();
    for (const r of probe.runs) byWorker.set(r.workerId, (byWorker.get(r.workerId) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([a.workerId, b.workerId].sort());
    expect([...byWorker.values()].reduce((x, y) => x + y)).toBe(8);
    expect(new Set(done.map((j) => j.lockedBy))).toEqual(new Set([a.workerId, b.workerId]));
  });

  it("lets a web node without workers enqueue and read; a worker elsewhere runs the job", async () => {
    const probe = new JobProbe();
    const web = make(probe, { workers: false });
    await web.start();
    const { id } = await web.enqueue("echo", { value: "from the web" });
    await new Promise((r) => setTimeout(r, 300));
    expect((await web.get(id)).status).toBe("queued");
    const worker = make(probe);
    await worker.start();
    expect(await waitForJob(web, id, ["completed"])).toMatchObject({ result: { echoed: "from the web" }, lockedBy: worker.workerId });
  });

  it("aborts a job running on another worker at once when a web node cancels it (without waiting for a heartbeat)", async () => {
    const probe = new JobProbe();
    const worker = make(probe, { heartbeatMs: 60_000 });
    const web = make(probe, { workers: false });
    await Promise.all([worker.start(), web.start()]);
    const { id } = await web.enqueue("wait", {});
    await probe.until(() => probe.runsOf(id).length === 1, 20_000, "the job to start on the worker");
    const asked = Date.now();
    expect((await web.cancel(id)).status).toBe("cancelled");
    await probe.until(() => probe.aborted.some((a) => a.jobId === id), 5000, "the worker to abort it");
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(probe.aborted.find((a) => a.jobId === id)!.reason).toBe("cancelled");
    expect((await waitForJob(web, id, ["cancelled"])).lockedBy).toBe(worker.workerId);
  });
});

const CHILD = path.join(import.meta.dirname, "testing", "bull-worker-child.ts");

interface Child {
  readonly process: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<NodeJS.Signals | number | null>;
  until(test: (lines: string[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
}

function startChild(env: Record<string, string>, prefix: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, prefix], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return {
    process: child,
    lines,
    exited,
    until: (test, what, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (test(lines)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for the worker process: ${what}; its output: ${lines.join(" | ")}`)), timeoutMs);
        const check = () => {
          if (!test(lines)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        void exited.then(() => check());
      }),
  };
}

// Several worker processes need one database: PostgreSQL (PGlite is one process by design).
describe("a bullmq worker process that dies or stops, on postgres", () => {
  let test: TestDatabase;
  let db: Database;
  let dir = "";
  const queues: JobQueue[] = [];
  const children: Child[] = [];
  let prefix = testRedisPrefix("takeover");
  beforeAll(async () => {
    test = await freshPostgresDatabase();
    db = await openDatabase(test.config);
    dir = await mkdtemp(path.join(tmpdir(), "dspex-worker-"));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.process.kill("SIGKILL");
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    await removeRedisKeys(prefix);
    prefix = testRedisPrefix("takeover");
  });
  afterAll(async () => {
    await db?.close();
    await test?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const scenario = async (stop: "SIGKILL" | "SIGTERM") => {
    const probe = new JobProbe();
    const other = createBullJobQueue({ prisma: db.prisma, jobs: probeJobs(probe, db.prisma), redisUrl: TEST_REDIS_URL, prefix, ...TEST_SETTINGS, lockDurationMs: 1000, stalledIntervalMs: 500, heartbeatMs: 200, concurrency: 1 });
    queues.push(other);
    const child = startChild({ DATABASE_URL: test.config.url!, REDIS_URL: TEST_REDIS_URL, DSPEX_DATA_DIR: dir, DSPEX_PROGRAMS_DIR: path.join(dir, "no-programs"), LOG_LEVEL: "silent" }, prefix);
    children.push(child);
    await child.until((l) => l.some((x) => x.startsWith("READY ")), "READY");
    const childWorker = child.lines.find((l) => l.startsWith("READY "))!.slice(6);
    const { id } = await other.enqueue("steps", { steps: 25, stepMs: 80 });
    await child.until((l) => l.filter((x) => x.startsWith(`STEP ${id} `)).length >= 3, "three steps in the worker process");
    expect((await other.get(id)).lockedBy).toBe(childWorker);
    // Another worker is up before the first one goes away.
    await other.start();
    child.process.kill(stop);
    expect(await child.exited).toBe(stop === "SIGKILL" ? "SIGKILL" : 0);
    const stepsInChild = child.lines.filter((x) => x.startsWith(`STEP ${id} `)).map((x) => Number(x.split(" ")[2]));
    const done = await waitForJob(other, id, ["completed"], 60_000);
    return { done, stepsInChild, probe, other, childWorker };
  };

  it("a killed worker's job is taken over by another worker and resumes from its stored progress", async () => {
    const { done, stepsInChild, probe, other } = await scenario("SIGKILL");
    // The death counts as an attempt; the job resumed from the last progress the dead worker stored.
    expect(done).toMatchObject({ status: "completed", attempts: 2, lockedBy: other.workerId, error: null });
    const resumedFrom = (done.result as { resumedFrom: number }).resumedFrom;
    expect(resumedFrom).toBeGreaterThanOrEqual(Math.max(...stepsInChild) - 1);
    expect(probe.steps.map((s) => s.step)).toEqual(Array.from({ length: 25 - resumedFrom }, (_, i) => resumedFrom + 1 + i));
  });

  it("a worker stopped with SIGTERM puts its job back at once, its attempt uncounted", async () => {
    const { done, stepsInChild, probe, other, childWorker } = await scenario("SIGTERM");
    expect(done).toMatchObject({ status: "completed", attempts: 1, lockedBy: other.workerId });
    expect(done.lockedBy).not.toBe(childWorker);
    const resumedFrom = (done.result as { resumedFrom: number }).resumedFrom;
    expect(resumedFrom).toBe(Math.max(...stepsInChild));
    expect(probe.steps[0]!.step).toBe(resumedFrom + 1);
  });
});
