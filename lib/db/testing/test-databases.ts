// Fresh databases for integration tests: a new PGlite data directory, or a new database on the
// local PostgreSQL server (DSPEX_TEST_POSTGRES_URL), dropped again afterwards.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "../../config";

export const TEST_POSTGRES_URL = process.env.DSPEX_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  backend: "pglite" | "postgres";
  config: DatabaseConfig;
  /** Removes the database and its files. */
  destroy(): Promise<void>;
}

export async function freshPostgresDatabase(prefix = "dspex_test"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), "dspex-pgtest-"));
  return {
    backend: "postgres",
    config: { url: url.toString(), dataDir },
    async destroy() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await c.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function freshPgliteDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "dspex-pglite-"));
  return {
    backend: "pglite",
    config: { dataDir },
    destroy: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** Both backends, for `describe.each`: every data-layer test runs on PGlite and PostgreSQL. */
export const BACKENDS = [
  { backend: "pglite", fresh: freshPgliteDatabase },
  { backend: "postgres", fresh: () => freshPostgresDatabase() },
] as const;
