// The embedded database runs on a thread of its own: a slow statement does not stop this thread's
// event loop, the data survives a reopen, errors and transactions behave as on PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "./index";
import { startPgliteThread, type PgliteThread } from "./pglite-thread";
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

describe("PGlite's one session seen as a PostgreSQL backend per connection", () => {
  let dir: string;
  let thread: PgliteThread;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-pglite-session-"));
    thread = await startPgliteThread(path.join(dir, "db"));
    await thread.pool.query("CREATE TABLE item (id int PRIMARY KEY, v int NOT NULL)");
    await thread.pool.query("INSERT INTO item VALUES (1, 0)");
  }, SLOW);
  afterAll(async () => {
    await thread?.close();
    await rm(dir, { recursive: true, force: true });
  }, SLOW);

  test("a failed statement gets one reply, so the query queued behind it reads its own result", async () => {
    const client = await thread.pool.connect();
    try {
      // Queued without waiting, as a pool under load does: the client sends the second query the
      // moment the first one's ReadyForQuery arrives, and pairs the next ReadyForQuery with it.
      const failed = client.query("INSERT INTO item VALUES ($1, $2) RETURNING id", [1, 5]);
      const updated = client.query("UPDATE item SET v = $1 WHERE id = $2 RETURNING id, v", [7, 1]);
      await expect(failed).rejects.toMatchObject({ code: "23505" });
      expect((await updated).rows).toEqual([{ id: 1, v: 7 }]);
      expect((await client.query("SELECT count(*)::int AS n FROM item")).rows).toEqual([{ n: 1 }]);
    } finally {
      client.release();
    }
  });

  test("a connection dropped inside a transaction leaves nothing open for the next one", async () => {
    const dropped = await thread.pool.connect();
    await dropped.query("BEGIN");
    await dropped.query("INSERT INTO item VALUES ($1, $2)", [2, 0]);
    await dropped.query("PREPARE left_behind AS SELECT 1");
    dropped.release(true);

    const next = await thread.pool.connect();
    const notices: string[] = [];
    next.on("notice", (n) => notices.push(n.message ?? ""));
    try {
      await next.query("BEGIN");
      expect((await next.query("SELECT count(*)::int AS n FROM item WHERE id = 2")).rows).toEqual([{ n: 0 }]);
      await next.query("COMMIT");
      expect(notices).toEqual([]);
      await next.query("PREPARE left_behind AS SELECT 2");
    } finally {
      next.release();
    }
  });
});
