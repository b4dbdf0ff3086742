// The embedded database runs on a thread of its own: a slow statement does not stop this thread's
// event loop, the data survives a reopen, errors and transactions behave as on PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "./index";
import { freshPgliteDatabase, type TestDatabase } from "./testing";

// Opening and migrating a fresh embedded database takes long on a loaded machine.
const SLOW = 180_000;

describe("PGlite on its own thread", () => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await freshPgliteDatabase();
    db = await openDatabase(t.config);
  }, SLOW);
  afterAll(async () => {
    await db?.close();
    await t?.destroy();
  }, SLOW);

  test("a one-second statement leaves the event loop free: a 20 ms timer fires before it returns", async () => {
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => (order.push("timer"), resolve()), 20));
    await db.sql.query("SELECT pg_sleep(1)").then(() => order.push("query"));
    await timer;
    expect(order).toEqual(["timer", "query"]);
  });

  test("a failed statement is an error with PostgreSQL's message, a failed transaction rolls back, and the connection goes on", async () => {
    await expect(db.sql.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "rolled-back", value: "x" } });
        throw new Error("abort the transaction");
      }),
    ).rejects.toThrow(/abort the transaction/);
    expect(await db.prisma.setting.count({ where: { key: "rolled-back" } })).toBe(0);
    expect(await db.sql.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  test(
    "rows written through Prisma and raw SQL are there after a close and reopen",
    async () => {
      await db.prisma.setting.create({ data: { key: "thread-test", value: "kept" } });
      await db.sql.query(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, to_jsonb($2::text), now())`, ["raw", "also"]);
      await db.close();
      db = await openDatabase(t.config);
      const rows = await db.prisma.setting.findMany({ where: { key: { in: ["thread-test", "raw"] } }, orderBy: { key: "asc" } });
      expect(rows.map((r) => [r.key, r.value])).toEqual([
        ["raw", "also"],
        ["thread-test", "kept"],
      ]);
    },
    SLOW,
  );
});
