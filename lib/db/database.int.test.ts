import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DatabaseError, openDatabase, type Database } from "./index";
import { BACKENDS, TEST_POSTGRES_URL, freshPgliteDatabase, type TestDatabase } from "./testing";
import pg from "pg";

describe.each(BACKENDS)("openDatabase on $backend", ({ backend, fresh }) => {
  let t: TestDatabase;
  let db: Database | undefined;
  beforeEach(async () => {
    t = await fresh();
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    await t.destroy();
  });

  it("creates and migrates the database on first open, and the client reads and writes every area", async () => {
    db = await openDatabase(t.config);
    expect(db.backend).toBe(backend);
    expect(db.migrations.applied.length).toBeGreaterThan(0);
    const p = db.prisma;

    const program = await p.program.create({ data: { name: "qa", source: "demo:qa" } });
    const v1 = await p.programVersion.create({
      data: { programId: program.id, number: 1, config: { temperature: 0.7 }, authorKind: "system" },
    });
    await p.program.update({ where: { id: program.id }, data: { activeVersionId: v1.id } });
    const run = await p.run.create({
      data: {
        traceId: "trace-1",
        programId: program.id,
        programVersionId: v1.id,
        source: "api",
        status: "ok",
        startedAt: new Date(),
        costUsd: "0.000123456",
        spans: { create: [{ id: "s1", name: "predict", kind: "module", status: "ok", startedAt: new Date() }] },
        lmCalls: {
          create: [{ provider: "demo", model: "dspex-demo", inputTokens: 120, cachedInputTokens: 20, outputTokens: 30, costUsd: "0.000123456", latencyMs: 12 }],
        },
      },
    });
    const loaded = await p.program.findUniqueOrThrow({
      where: { name: "qa" },
      include: { activeVersion: true, runs: { include: { spans: true, lmCalls: true } } },
    });
    expect(loaded.activeVersion?.config).toEqual({ temperature: 0.7 });
    expect(loaded.runs[0]?.id).toBe(run.id);
    expect(loaded.runs[0]?.spans.map((s) => s.name)).toEqual(["predict"]);
    // Money is exact to the nano-dollar: no float rounding on the way in or out.
    expect(loaded.runs[0]?.lmCalls[0]?.costUsd.toString()).toBe("0.000123456");

    await expect(p.programVersion.create({ data: { programId: program.id, number: 1, config: {}, authorKind: "user" } })).rejects.toThrow(
      /Unique constraint/,
    );
  });

  it("keeps the data when reopened, and applies nothing twice", async () => {
    db = await openDatabase(t.config);
    await db.prisma.dataset.create({ data: { name: "kept" } });
    await db.close();
    db = await openDatabase(t.config);
    expect(db.migrations.applied).toEqual([]);
    expect(await db.prisma.dataset.findMany({ select: { name: true } })).toEqual([{ name: "kept" }]);
  });
});

describe("the embedded data directory", () => {
  it("refuses a second opener while the first holds it, naming DSPEX_DATA_DIR", async () => {
    const t = await freshPgliteDatabase();
    const first = await openDatabase(t.config);
    try {
      // A pid file of a live process other than ours: what a second `npm start` would find.
      const { writeFile } = await import("node:fs/promises");
      await writeFile(`${t.config.dataDir}/dspex.pid`, String(process.ppid));
      const second = openDatabase(t.config);
      await expect(second).rejects.toBeInstanceOf(DatabaseError);
      await expect(second).rejects.toThrow(`DSPEX_DATA_DIR ${t.config.dataDir} is in use by process ${process.ppid}`);
    } finally {
      await first.close();
      await t.destroy();
    }
  });

  it("takes over a pid file left by a process that no longer exists", async () => {
    const t = await freshPgliteDatabase();
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(t.config.dataDir, { recursive: true });
    await writeFile(`${t.config.dataDir}/dspex.pid`, "2147483646");
    const db = await openDatabase(t.config);
    await db.close();
    await t.destroy();
  });
});

describe("PostgreSQL connection problems", () => {
  it("creates the database named in DATABASE_URL when the server has none of that name", async () => {
    const name = `dspex_autocreate_${Date.now()}`;
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    const db = await openDatabase({ url: url.toString(), dataDir: "/nonexistent" });
    try {
      expect(await db.prisma.program.count()).toBe(0);
    } finally {
      await db.close();
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  });

  it("names DATABASE_URL, hides the password and says why when the server cannot be reached", async () => {
    const attempt = openDatabase({ url: "postgres://me:hunter2@127.0.0.1:1/x", dataDir: "/nonexistent" });
    await expect(attempt).rejects.toMatchObject({ code: "DB_CONNECT_FAILED" });
    await expect(attempt).rejects.toThrow(/^DATABASE_URL: cannot connect to postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
