import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "../config";
import { lockDataDir } from "./data-dir-lock";
import { DatabaseError } from "./errors";
import { PrismaClient } from "./generated/client";
import { applyMigrations, readMigrations, type MigrationReport } from "./migrations";
import { pgConnection } from "./pg-connection";
import { startPgliteThread } from "./pglite-thread";
import type { SqlConnection } from "./sql-connection";

export type Backend = "pglite" | "postgres";

export interface Database {
  readonly backend: Backend;
  /** Where the data lives, for display: a directory or a URL without its password. */
  readonly location: string;
  readonly prisma: PrismaClient;
  readonly sql: SqlConnection;
  readonly migrations: MigrationReport;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  migrationsDir?: string;
  log?: { info(msg: string): void; warn(msg: string): void };
}

export const DEFAULT_MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma", "migrations");

/** Opens the configured database, creating and migrating it when needed. */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<Database> {
  // The working directory at the call: a process may change it after loading this module (dspex serve does).
  const migrations = await readMigrations(options.migrationsDir ?? path.resolve(process.cwd(), "prisma", "migrations"));
  let opened = config.url ? await openPostgres(config.url, options) : await openPglite(config.dataDir);
  try {
    const report = await applyMigrations(opened.sql, migrations, options.log);
    if (opened.sql.backend === "pglite" && report.applied.length > 0) {
      // Migrations grow the embedded database's WebAssembly memory (several hundred MB on a new
      // database), which is never given back while it runs: a fresh thread starts small again.
      const migrated = opened;
      opened = { ...migrated, close: async () => {} }; // closed below; nothing to close if reopening fails
      await migrated.close();
      opened = await openPglite(config.dataDir);
    }
    const prisma = new PrismaClient({ adapter: opened.adapter });
    return {
      backend: opened.sql.backend,
      location: opened.location,
      prisma,
      sql: opened.sql,
      migrations: report,
      async close() {
        await prisma.$disconnect();
        await opened.close();
      },
    };
  } catch (err) {
    await opened.close();
    throw err;
  }
}

/** Applies pending migrations and closes again: `npm run db:migrate`. */
export async function migrateDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<MigrationReport> {
  const db = await openDatabase(config, options);
  await db.close();
  return db.migrations;
}

interface Opened {
  sql: SqlConnection;
  adapter: SqlDriverAdapterFactory;
  location: string;
  close(): Promise<void>;
}

async function openPglite(dataDir: string): Promise<Opened> {
  const unlock = await lockDataDir(dataDir);
  try {
    const dir = path.join(dataDir, "pglite");
    const thread = await startPgliteThread(dir);
    const sql = pgConnection(thread.pool, "pglite");
    return {
      sql,
      adapter: new PrismaPg(thread.pool),
      location: dir,
      async close() {
        try {
          await thread.close();
        } finally {
          await unlock();
        }
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Opened> {
  const location = redactUrl(url);
  await ensurePostgresDatabase(url, options);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {}); // idle-client errors surface on the next query instead of crashing
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end();
    throw connectError(location, err);
  }
  const sql = pgConnection(pool);
  return { sql, adapter: new PrismaPg(pool), location, close: () => sql.close() };
}

function connectError(location: string, err: unknown): DatabaseError {
  const reason = err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err);
  return new DatabaseError("DB_CONNECT_FAILED", `DATABASE_URL: cannot connect to ${location}: ${reason}`, { cause: err });
}

/** Creates the database named in the URL when the server is reachable but the database is not there yet. */
async function ensurePostgresDatabase(url: string, options: OpenDatabaseOptions): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.end();
    return;
  } catch (err) {
    await client.end().catch(() => {});
    if ((err as { code?: string }).code !== "3D000") throw connectError(redactUrl(url), err);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  adminClient.on("error", () => {});
  try {
    await adminClient.connect();
    await adminClient.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    options.log?.info(`created database ${name}`);
  } catch (err) {
    throw connectError(redactUrl(url), err);
  } finally {
    await adminClient.end().catch(() => {});
  }
}
