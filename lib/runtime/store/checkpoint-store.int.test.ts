import { describe, expect, it } from "vitest";
import { classifyTask } from "../../dspex/demos";
import { MIPROv2, createDemoLM, memoryCheckpointStore, runOptimization, type CheckpointStore, type OptimizationEvent } from "../../dspex";
import { BACKENDS } from "../../db/testing";
import { createOptimization, dbCheckpointStore, getOptimization, listTrials, upsertProgram } from "./index";
import { checkpoint, trial, useTestDatabase } from "./testing";

describe.each(BACKENDS)("the database checkpoint store on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let n = 0;
  const newOptimization = async () => {
    const name = `cp${++n}`;
    const program = await upsertProgram(t.prisma, { name, description: "", source: "test", signature: null });
    const v = await t.prisma.programVersion.create({ data: { programId: program.id, number: 1, config: {}, authorKind: "system" } });
    return (await createOptimization(t.prisma, { programName: name, optimizer: "mipro", baseVersionId: v.id, seed: 21 })).id;
  };

  it("loads nothing before the first save, then exactly what was saved, from a fresh store object", async () => {
    const id = await newOptimization();
    expect(await dbCheckpointStore(t.prisma, id).load()).toBeUndefined();
    const saved = checkpoint([trial(0, { meta: { role: "baseline" } }), trial(1, { state: "pruned", score: undefined, error: "not run: aborted" })], { k1: "reply one" });
    await dbCheckpointStore(t.prisma, id).save(saved);
    expect(await dbCheckpointStore(t.prisma, id).load()).toEqual(saved);
    await expect(dbCheckpointStore(t.prisma, "missing").load()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(dbCheckpointStore(t.prisma, "missing").save(saved)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("writes only new or changed trials and new journal entries on each save", async () => {
    const id = await newOptimization();
    const store = dbCheckpointStore(t.prisma, id);
    await store.save(checkpoint([trial(0), trial(1), trial(2, { state: "pruned", score: undefined })], { a: "1", b: "2" }));
    expect(store.writes).toEqual({ saves: 1, trials: 3, journal: 2, deletedTrials: 0 });
    await store.save(checkpoint([trial(0), trial(1), trial(2, { state: "pruned", score: undefined })], { a: "1", b: "2" }));
    expect(store.writes).toMatchObject({ saves: 2, trials: 3, journal: 2 });
    // Trial 2 now ran to the end, trial 3 is new, one journal entry is new.
    const latest = checkpoint([trial(0), trial(1), trial(2, { score: 0.8 }), trial(3)], { a: "1", b: "2", c: "3" });
    await store.save(latest);
    expect(store.writes).toMatchObject({ saves: 3, trials: 5, journal: 3 });

    // A fresh store object (a restarted process) knows what is stored once it has loaded.
    const resumed = dbCheckpointStore(t.prisma, id);
    expect(await resumed.load()).toEqual(latest);
    await resumed.save(latest);
    expect(resumed.writes).toEqual({ saves: 1, trials: 0, journal: 0, deletedTrials: 0 });
    // A trial no longer in the checkpoint is removed, so the rows always equal the checkpoint.
    await resumed.save(checkpoint([trial(0), trial(1), trial(2, { score: 0.8 })], { a: "1", b: "2", c: "3" }));
    expect(resumed.writes.deletedTrials).toBe(1);
    expect((await listTrials(t.prisma, { optimizationId: id })).items.map((x) => [x.number, x.score])).toEqual([
      [0, 0.5],
      [1, 0.5],
      [2, 0.8],
    ]);
  });

  it("applies concurrent saves in call order, the last one winning", async () => {
    const id = await newOptimization();
    const store = dbCheckpointStore(t.prisma, id);
    const snapshots = [1, 2, 3, 4, 5, 6].map((k) => checkpoint(Array.from({ length: k }, (_, i) => trial(i)), Object.fromEntries(Array.from({ length: k }, (_, i) => [`j${i}`, "x"]))));
    await Promise.all(snapshots.map((s) => store.save(s)));
    expect(await dbCheckpointStore(t.prisma, id).load()).toEqual(snapshots.at(-1));
    expect(store.writes).toMatchObject({ saves: 6, trials: 6, journal: 6 });
  });

  it("resumes a crashed optimization exactly: identical result, no finished trial run again", async () => {
    const setup = () => ({
      optimizer: new MIPROv2({ auto: "light", numCandidates: 3, numTrials: 6 }),
      program: classifyTask.makeProgram({ settings: { temperature: 0.9 } }),
      trainset: classifyTask.dataset.train,
      valset: classifyTask.dataset.validation,
      metric: classifyTask.metric,
      lm: createDemoLM({ seed: 5 }),
      seed: 21,
      concurrency: 4,
    });
    const uninterrupted = await runOptimization({ ...setup(), checkpoint: memoryCheckpointStore() });

    const id = await newOptimization();
    const controller = new AbortController();
    let finished = 0;
    const crashed = await runOptimization({
      ...setup(),
      checkpoint: dbCheckpointStore(t.prisma, id),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "trial:complete" && ++finished === 4) controller.abort();
      },
    });
    expect(crashed.stopReason).toBe("aborted");
    expect(crashed.trials.filter((x) => x.state === "complete").length).toBeLessThan(uninterrupted.trials.length);
    const rowsAfterCrash = (await listTrials(t.prisma, { optimizationId: id, limit: 100 })).items;
    const completeBefore = new Set(rowsAfterCrash.filter((r) => r.status === "complete").map((r) => r.number));
    expect(completeBefore.size).toBeGreaterThanOrEqual(4);
    const journalBefore = await t.prisma.optimizationJournal.count({ where: { optimizationId: id } });
    expect(journalBefore).toBeGreaterThan(0);

    // A new process: a fresh store object on the same database.
    const store: CheckpointStore & { writes: { trials: number } } = dbCheckpointStore(t.prisma, id);
    const ran: number[] = [];
    const replayed: number[] = [];
    const events: OptimizationEvent[] = [];
    const resumed = await runOptimization({
      ...setup(),
      checkpoint: store,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "trial:complete") (e.replayed ? replayed : ran).push(e.trial.number);
      },
    });
    expect(events[0]).toMatchObject({ type: "start", resumedTrials: completeBefore.size });
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((number) => completeBefore.has(number))).toEqual([]);
    expect([...replayed].sort((a, b) => a - b)).toEqual([...completeBefore].sort((a, b) => a - b));
    expect(ran.length + replayed.length).toBe(resumed.trials.length);
    // Only the trials run now were written.
    expect(store.writes.trials).toBe(ran.length);

    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.bestScore).toBe(uninterrupted.bestScore);
    expect(resumed.trials.map((x) => [x.number, x.score, x.state])).toEqual(uninterrupted.trials.map((x) => [x.number, x.score, x.state]));

    const rows = (await listTrials(t.prisma, { optimizationId: id, limit: 100 })).items;
    expect(rows.map((r) => [r.number, r.score ?? undefined])).toEqual(uninterrupted.trials.map((x) => [x.number, x.score]));
    const view = await getOptimization(t.prisma, id);
    expect(view).toMatchObject({ trialCount: uninterrupted.trials.length, bestScore: uninterrupted.bestScore, baselineScore: uninterrupted.baselineScore });
    expect(view.spent.lmCalls).toBe(resumed.spend.lmCalls);
    expect(await t.prisma.optimizationJournal.count({ where: { optimizationId: id } })).toBeGreaterThanOrEqual(journalBefore);
  });
});
