// Applies the committed SQL migrations under prisma/migrations, keeping the same
// `_prisma_migrations` bookkeeping as `prisma migrate deploy`, so either tool can take over.
// Each migration runs in its own transaction: a failing one leaves nothing applied or recorded.
import { createHash, randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { DatabaseError } from "./errors";
import type { SqlConnection, SqlSession } from "./sql-connection";

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of migration.sql, as Prisma records it. */
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
  warnings: string[];
}

interface MigrationLog {
  warn(msg: string): void;
  info(msg: string): void;
}

/** The advisory lock key Prisma's schema engine takes on PostgreSQL while migrating. */
const PRISMA_MIGRATION_LOCK = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(
  conn: SqlConnection,
  migrations: Migration[],
  log: MigrationLog = { warn() {}, info() {} },
): Promise<MigrationReport> {
  return conn.session(async (s) => {
    if (conn.backend === "postgres") await s.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK]);
    try {
      return await applyLocked(s, migrations, log);
    } finally {
      if (conn.backend === "postgres") await s.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK]);
    }
  });
}

async function applyLocked(s: SqlSession, migrations: Migration[], log: MigrationLog): Promise<MigrationReport> {
  await s.exec(CREATE_TABLE);
  const history = await s.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  const failed = history.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new DatabaseError(
      "DB_MIGRATION_HISTORY",
      `Migration ${failed.migration_name} is recorded as started but not finished in _prisma_migrations; ` +
        `fix the database by hand, then delete that row (or run prisma migrate resolve) before starting again`,
    );
  }
  const done = new Map(history.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]));
  const warnings: string[] = [];
  const known = new Set(migrations.map((m) => m.name));
  for (const name of done.keys()) {
    if (!known.has(name)) warnings.push(`migration ${name} is applied in the database but missing from prisma/migrations`);
  }
  const applied: string[] = [];
  for (const m of migrations) {
    const row = done.get(m.name);
    if (row) {
      if (row.checksum !== m.checksum) warnings.push(`migration ${m.name} was modified after it was applied`);
      continue;
    }
    await applyOne(s, m);
    applied.push(m.name);
    log.info(`applied migration ${m.name}`);
  }
  for (const w of warnings) log.warn(w);
  return { applied, alreadyApplied: migrations.length - applied.length, warnings };
}

async function applyOne(s: SqlSession, m: Migration): Promise<void> {
  const startedAt = new Date();
  await s.exec("BEGIN");
  try {
    await s.exec(m.sql);
    await s.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), m.checksum, m.name, startedAt],
    );
    await s.exec("COMMIT");
  } catch (err) {
    await s.exec("ROLLBACK");
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseError("DB_MIGRATION_FAILED", `Migration ${m.name} failed and was rolled back: ${reason}`, { cause: err });
  }
}
