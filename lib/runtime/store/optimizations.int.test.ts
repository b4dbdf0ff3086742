import { beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import {
  ConflictError,
  createDataset,
  createDatasetVersion,
  createOptimization,
  dbCheckpointStore,
  getOptimization,
  getTrial,
  listOptimizations,
  listTrials,
  setOptimizationStatus,
  upsertProgram,
  type StoreError,
} from "./index";
import { checkpoint, trial, useTestDatabase } from "./testing";

async function caught(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    return err as StoreError;
  }
  throw new Error("expected a rejection");
}

describe.each(BACKENDS)("optimizations on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const program = await upsertProgram(t.prisma, { name: "opt", description: "", source: "test", signature: null });
    const v1 = await t.prisma.programVersion.create({ data: { programId: program.id, number: 1, config: {}, authorKind: "system" } });
    await t.prisma.program.update({ where: { id: program.id }, data: { activeVersionId: v1.id } });
    const other = await upsertProgram(t.prisma, { name: "other", description: "", source: "test", signature: null });
    const foreign = await t.prisma.programVersion.create({ data: { programId: other.id, number: 1, config: {}, authorKind: "system" } });
    await createDataset(t.prisma, { name: "opt-data" });
    const dv = await createDatasetVersion(t.prisma, { datasetName: "opt-data", examples: [{ inputs: { q: "a" } }] });
    Object.assign(ids, { program: program.id, v1: v1.id, foreign: foreign.id, dv: dv.id });
  });

  it("records a launch with its options, seed, budget and estimate, based on the active version", async () => {
    const o = await createOptimization(t.prisma, {
      programName: "opt",
      datasetVersionId: ids.dv,
      optimizer: "mipro",
      options: { auto: "light" },
      seed: 7,
      budget: { usd: 1.5, lmCalls: 500 },
      estimate: { lmCalls: 400, usd: 1.2, trials: 20, notes: ["n"] },
      createdBy: "u1",
    });
    expect(o).toMatchObject({
      program: { id: ids.program, name: "opt" },
      baseVersionId: ids.v1,
      datasetVersionId: ids.dv,
      status: "queued",
      options: { auto: "light" },
      seed: 7,
      budget: { usd: 1.5, lmCalls: 500, seconds: null },
      spent: { usd: 0, lmCalls: 0, seconds: 0 },
      estimate: { lmCalls: 400, usd: 1.2, trials: 20, notes: ["n"] },
      hasCheckpoint: false,
    });
    expect((await getOptimization(t.prisma, o.id)).id).toBe(o.id);

    const invalid = await caught(createOptimization(t.prisma, { programName: "opt", optimizer: "", seed: 1.5, budget: { usd: -1 } }));
    expect(invalid.issues.map((i) => i.field)).toEqual(["optimizer", "seed", "budget.usd"]);
    expect(await caught(createOptimization(t.prisma, { programName: "nope", optimizer: "x" }))).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "programName" }] });
    expect(await caught(createOptimization(t.prisma, { programName: "opt", optimizer: "x", baseVersionId: ids.foreign }))).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "baseVersionId" }] });
    expect(await caught(createOptimization(t.prisma, { programName: "opt", optimizer: "x", datasetVersionId: "gone" }))).toMatchObject({ issues: [{ field: "datasetVersionId" }] });
    expect(await caught(createOptimization(t.prisma, { programName: "other", optimizer: "x" }))).toBeInstanceOf(ConflictError);
  });

  it("moves through statuses only along the allowed transitions", async () => {
    const o = await createOptimization(t.prisma, { programName: "opt", optimizer: "gepa" });
    const t0 = new Date("2026-06-01T10:00:00Z");
    const running = await setOptimizationStatus(t.prisma, o.id, { status: "running", jobId: "job-1" }, t0);
    expect(running).toMatchObject({ status: "running", startedAt: t0.toISOString(), endedAt: null, jobId: "job-1" });
    const stopped = await setOptimizationStatus(t.prisma, o.id, { status: "stopped" }, new Date("2026-06-01T10:05:00Z"));
    expect(stopped.endedAt).toBe("2026-06-01T10:05:00.000Z");
    // Resume: queued again, then running; the first start time stays.
    await setOptimizationStatus(t.prisma, o.id, { status: "queued" });
    const resumed = await setOptimizationStatus(t.prisma, o.id, { status: "running" }, new Date("2026-06-01T11:00:00Z"));
    expect(resumed).toMatchObject({ startedAt: t0.toISOString(), endedAt: null });
    const v2 = await t.prisma.programVersion.create({ data: { programId: ids.program!, number: 2, config: {}, authorKind: "optimization", authorId: o.id } });
    const done = await setOptimizationStatus(t.prisma, o.id, { status: "completed", report: { bestScore: 0.9 }, resultVersionId: v2.id });
    expect(done).toMatchObject({ status: "completed", report: { bestScore: 0.9 }, resultVersionId: v2.id });
    expect(done.endedAt).not.toBeNull();

    const refused = await caught(setOptimizationStatus(t.prisma, o.id, { status: "running" }));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toMatch(/is completed; it cannot become running/);
    const f = await createOptimization(t.prisma, { programName: "opt", optimizer: "gepa" });
    expect(await caught(setOptimizationStatus(t.prisma, f.id, { status: "completed" }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/running, stopped, failed/) });
    expect(await setOptimizationStatus(t.prisma, f.id, { status: "failed", error: "LM down" })).toMatchObject({ status: "failed", error: "LM down" });
    expect(await caught(setOptimizationStatus(t.prisma, f.id, { status: "done" as never }))).toMatchObject({ code: "INVALID", issues: [{ field: "status" }] });
    expect(await caught(setOptimizationStatus(t.prisma, "missing", { status: "running" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await caught(setOptimizationStatus(t.prisma, f.id, { status: "queued", resultVersionId: ids.foreign }))).toMatchObject({ issues: [{ field: "resultVersionId" }] });

    const failed = await listOptimizations(t.prisma, { programName: "opt", status: "failed" });
    expect(failed.items.map((x) => x.id)).toEqual([f.id]);
  });

  it("pages trials sorted by number, score (unscored last), cost or latency, filtered by status", async () => {
    const o = await createOptimization(t.prisma, { programName: "opt", optimizer: "x" });
    const trials = [
      trial(0, { score: 0.4, meta: { role: "baseline" } }),
      trial(1, { score: 0.9, evaluation: "minibatch" }),
      trial(2, { state: "failed", score: undefined, values: undefined, scores: undefined, error: "boom" }),
      trial(3, { score: 0.7 }),
      trial(4, { state: "pruned", score: undefined, values: undefined, scores: undefined }),
    ];
    await dbCheckpointStore(t.prisma, o.id).save(checkpoint(trials));
    const numbers = async (q: object) => (await listTrials(t.prisma, { optimizationId: o.id, ...q })).items.map((x) => x.number);
    expect(await numbers({})).toEqual([0, 1, 2, 3, 4]);
    expect(await numbers({ sort: "score", order: "desc" })).toEqual([1, 3, 0, 2, 4]);
    expect(await numbers({ sort: "score", order: "asc" })).toEqual([0, 3, 1, 2, 4]);
    expect(await numbers({ sort: "costUsd", order: "desc", limit: 2, page: 1 })).toEqual([4, 3]);
    expect(await numbers({ sort: "latencyMs", order: "desc", limit: 2, page: 2 })).toEqual([2, 1]);
    expect(await numbers({ status: "complete", evaluation: "full" })).toEqual([0, 3]);
    const page = await listTrials(t.prisma, { optimizationId: o.id, limit: 2, page: 3 });
    expect(page).toMatchObject({ total: 5, page: 3, limit: 2 });
    expect(page.items[0]).toMatchObject({ number: 4, status: "pruned", score: null, examples: 2, costUsd: 0.004 });
    const view = await getOptimization(t.prisma, o.id);
    // Best among complete full evaluations (trial 1 was a minibatch); baseline is trial 0.
    expect(view).toMatchObject({ trialCount: 5, bestScore: 0.7, baselineScore: 0.4, hasCheckpoint: true, spent: { lmCalls: 10, seconds: 1.5 } });
    expect(await caught(listTrials(t.prisma, { optimizationId: o.id, sort: "magic" as never }))).toMatchObject({ issues: [{ field: "sort" }] });
    expect(await caught(listTrials(t.prisma, { optimizationId: "missing" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads one trial by number with its start and each example's score and feedback", async () => {
    const o = await createOptimization(t.prisma, { programName: "opt", optimizer: "x" });
    await dbCheckpointStore(t.prisma, o.id).save(
      checkpoint([trial(0), trial(1, { evaluation: "minibatch", examples: [4, 2, 7], scores: [1, 0, 1], feedback: [null, "wrong label", null], score: 2 / 3 })]),
    );
    const one = await getTrial(t.prisma, o.id, 1);
    expect(one).toMatchObject({ number: 1, evaluation: "minibatch", examples: 3, startedAt: new Date(1_700_000_001_000).toISOString() });
    expect(one.perExample).toEqual([
      { example: 4, score: 1, feedback: null },
      { example: 2, score: 0, feedback: "wrong label" },
      { example: 7, score: 1, feedback: null },
    ]);
    expect((await getTrial(t.prisma, o.id, 0)).perExample).toEqual([
      { example: 0, score: 0, feedback: null },
      { example: 1, score: 1, feedback: null },
    ]);
    expect(await caught(getTrial(t.prisma, o.id, 9))).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "number" }] });
    expect(await caught(getTrial(t.prisma, "missing", 0))).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "id" }] });
  });
});
