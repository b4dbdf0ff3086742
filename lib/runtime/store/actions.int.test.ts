// The marketplace's tables on PGlite and PostgreSQL: decisions per action, and usage added up by
// several recorders (processes) per action and day, with a failed flush kept for the next one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import { actionUsage, createActionUsageRecorder, listActionSettings, setActionEnabled } from "./index";

describe.each(BACKENDS)("marketplace store on $backend", ({ fresh }) => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await fresh();
    db = await openDatabase(test.config);
  });
  afterAll(async () => {
    await db?.close();
    await test?.destroy();
  });

  it("keeps each action's latest decision and who made it; refuses a bad name naming the field", async () => {
    await setActionEnabled(db.prisma, "slugify", true, "user-1");
    await setActionEnabled(db.prisma, "slugify", false, "user-2");
    await setActionEnabled(db.prisma, "word-count", true, null);
    expect(await listActionSettings(db.prisma)).toEqual([
      { action: "slugify", enabled: false, updatedBy: "user-2", updatedAt: expect.any(String) },
      { action: "word-count", enabled: true, updatedBy: null, updatedAt: expect.any(String) },
    ]);
    await expect(setActionEnabled(db.prisma, "bad name!", true, null)).rejects.toMatchObject({ code: "INVALID", issues: [{ field: "action" }] });
  });

  it("adds up the calls of several recorders per action and day", async () => {
    const a = createActionUsageRecorder(db.prisma, { flushEveryMs: 0 });
    const b = createActionUsageRecorder(db.prisma, { flushEveryMs: 0 });
    const at = Date.parse("2026-12-07T10:00:00Z");
    for (let i = 0; i < 5; i++) a.record({ action: "slugify", ok: true, costUsd: 0.01, ms: 10, at: at + i });
    b.record({ action: "slugify", ok: false, costUsd: 0, ms: 5, at: at + 10, error: "boom\u0000 with a NUL" });
    b.record({ action: "define-word", ok: true, costUsd: 0, ms: 100, at: at - 86_400_000 });
    await Promise.all([a.flush(), b.flush()]);
    a.record({ action: "slugify", ok: true, costUsd: 0.02, ms: 10, at: at + 20 });
    await a.stop();
    await b.stop();
    const usage = await actionUsage(db.prisma, 30, new Date(at));
    expect(usage.slugify).toMatchObject({ calls: 7, errors: 1, lastError: "boom with a NUL", lastAt: new Date(at + 20).toISOString() });
    expect(usage.slugify!.costUsd).toBeCloseTo(0.07, 9);
    expect(usage["define-word"]).toMatchObject({ calls: 1, errors: 0 });
    expect(await actionUsage(db.prisma, 1, new Date(at))).not.toHaveProperty("define-word");
  });
});
