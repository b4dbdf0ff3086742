import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadMigrationList, startSchemaEngine } from "../../scripts/lib/schema-engine";
import {
  applyMigrations,
  checksumOf,
  DatabaseError,
  DEFAULT_MIGRATIONS_DIR,
  pgConnection,
  pgliteConnection,
  readMigrations,
  type Migration,
  type SqlConnection,
} from "./index";
import { BACKENDS, type TestDatabase } from "./testing";

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: checksumOf(sql) });

async function rawConnection(db: TestDatabase): Promise<SqlConnection> {
  if (db.config.url) return pgConnection(new pg.Pool({ connectionString: db.config.url }));
  return pgliteConnection(await PGlite.create(`${db.config.dataDir}/pglite`));
}

async function history(conn: SqlConnection) {
  return conn.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
    `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  );
}

async function tableExists(conn: SqlConnection, table: string): Promise<boolean> {
  const rows = await conn.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`public."${table}"`]);
  return rows[0]?.t != null;
}

describe.each(BACKENDS)("migrations on $backend", ({ fresh }) => {
  let db: TestDatabase;
  let conn: SqlConnection;
  beforeEach(async () => {
    db = await fresh();
    conn = await rawConnection(db);
  });
  afterEach(async () => {
    await conn.close();
    await db.destroy();
  });

  it("applies the committed migrations once, then nothing on the next run", async () => {
    const committed = await readMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(committed.length).toBeGreaterThan(0);

    const first = await applyMigrations(conn, committed);
    expect(first.applied).toEqual(committed.map((m) => m.name));
    for (const t of ["Program", "ProgramVersion", "Run", "Span", "LMCall", "Optimization", "Trial", "Agent", "Budget", "ModelPrice", "ApiKey"]) {
      expect(await tableExists(conn, t), t).toBe(true);
    }
    const second = await applyMigrations(conn, committed);
    expect(second).toEqual({ applied: [], alreadyApplied: committed.length, warnings: [] });

    const rows = await history(conn);
    expect(rows.map((r) => r.migration_name)).toEqual(committed.map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    expect(rows.map((r) => r.checksum)).toEqual(committed.map((m) => m.checksum));
  });

  it("fails loudly on a broken migration and leaves nothing of it applied or recorded", async () => {
    const good = migration("20200101000000_good", `CREATE TABLE "Good" (id INT PRIMARY KEY);`);
    const broken = migration("20200102000000_broken", `CREATE TABLE "Half" (id INT);\nINSERT INTO "Nowhere" VALUES (1);`);

    const run = applyMigrations(conn, [good, broken]);
    await expect(run).rejects.toBeInstanceOf(DatabaseError);
    await expect(run).rejects.toMatchObject({ code: "DB_MIGRATION_FAILED" });
    await expect(run).rejects.toThrow(/Migration 20200102000000_broken failed and was rolled back: .*Nowhere/);

    expect(await tableExists(conn, "Good")).toBe(true);
    expect(await tableExists(conn, "Half")).toBe(false);
    expect((await history(conn)).map((r) => r.migration_name)).toEqual([good.name]);

    const fixed = migration(broken.name, `CREATE TABLE "Half" (id INT);`);
    const report = await applyMigrations(conn, [good, fixed]);
    expect(report.applied).toEqual([fixed.name]);
    expect(await tableExists(conn, "Half")).toBe(true);
  });

  it("refuses to start over a migration recorded as started but never finished", async () => {
    const m = migration("20200101000000_a", `SELECT 1;`);
    await applyMigrations(conn, []);
    await conn.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', $1, $2, now(), 0)`,
      [m.checksum, m.name],
    );
    await expect(applyMigrations(conn, [m])).rejects.toMatchObject({
      code: "DB_MIGRATION_HISTORY",
      message: expect.stringContaining("20200101000000_a is recorded as started but not finished"),
    });
  });

  it("warns when an applied migration was edited or is missing from the folder", async () => {
    const a = migration("20200101000000_a", `CREATE TABLE "A" (id INT);`);
    const b = migration("20200102000000_b", `CREATE TABLE "B" (id INT);`);
    await applyMigrations(conn, [a, b]);
    const edited = migration(a.name, `CREATE TABLE "A" (id BIGINT);`);
    const report = await applyMigrations(conn, [edited]);
    expect(report.applied).toEqual([]);
    expect(report.warnings).toEqual([
      "migration 20200102000000_b is applied in the database but missing from prisma/migrations",
      "migration 20200101000000_a was modified after it was applied",
    ]);
  });
});

describe("migrations on postgres, concurrently", () => {
  it("two servers starting at once apply each migration exactly once", async () => {
    const db = await BACKENDS[1].fresh();
    const a = pgConnection(new pg.Pool({ connectionString: db.config.url }));
    const b = pgConnection(new pg.Pool({ connectionString: db.config.url }));
    try {
      const committed = await readMigrations(DEFAULT_MIGRATIONS_DIR);
      const [ra, rb] = await Promise.all([applyMigrations(a, committed), applyMigrations(b, committed)]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(committed.map((m) => m.name).sort());
      expect((await history(a)).length).toBe(committed.length);
    } finally {
      await a.close();
      await b.close();
      await db.destroy();
    }
  });
});

describe("compatibility with prisma migrate deploy (Prisma's schema engine)", () => {
  const filters = { externalTables: [], externalEnums: [] };

  it("on PGlite: the engine finds nothing to apply after our runner, and our runner nothing after the engine", async () => {
    const migrationsList = await loadMigrationList(DEFAULT_MIGRATIONS_DIR);
    const committed = await readMigrations(DEFAULT_MIGRATIONS_DIR);

    const ours = new PGlite();
    await applyMigrations(pgliteConnection(ours), committed);
    const e1 = await startSchemaEngine(ours);
    try {
      expect((await e1.engine.applyMigrations({ migrationsList, filters })).appliedMigrationNames).toEqual([]);
    } finally {
      await e1.close();
    }

    const theirs = new PGlite();
    const e2 = await startSchemaEngine(theirs);
    try {
      expect((await e2.engine.applyMigrations({ migrationsList, filters })).appliedMigrationNames).toEqual(committed.map((m) => m.name));
    } finally {
      await e2.close();
    }
    expect(await applyMigrations(pgliteConnection(theirs), committed)).toEqual({ applied: [], alreadyApplied: committed.length, warnings: [] });
    await ours.close();
    await theirs.close();
  });

  it("on PostgreSQL: the engine finds nothing to apply after our runner", async () => {
    const db = await BACKENDS[1].fresh();
    const conn = pgConnection(new pg.Pool({ connectionString: db.config.url }));
    try {
      await applyMigrations(conn, await readMigrations(DEFAULT_MIGRATIONS_DIR));
      const url = new URL(db.config.url!);
      const factory = new PrismaPg({ host: url.hostname, port: Number(url.port), user: url.username, database: url.pathname.slice(1) });
      const e = await startSchemaEngine(factory);
      try {
        const res = await e.engine.applyMigrations({ migrationsList: await loadMigrationList(DEFAULT_MIGRATIONS_DIR), filters });
        expect(res.appliedMigrationNames).toEqual([]);
      } finally {
        await e.close();
      }
    } finally {
      await conn.close();
      await db.destroy();
    }
  });
});
