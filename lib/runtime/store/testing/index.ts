// For integration tests: one fresh, migrated database per describe block (PGlite or PostgreSQL).
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database, type PrismaClient } from "../../../db";
import type { TestDatabase } from "../../../db/testing";

/** Opens a fresh database before the block's tests and removes it after; returns a getter. */
export function useTestDatabase(fresh: () => Promise<TestDatabase>): { readonly prisma: PrismaClient; readonly db: Database } {
  let t: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    t = await fresh();
    db = await openDatabase(t.config);
  });
  afterAll(async () => {
    await db?.close();
    await t?.destroy();
  });
  return {
    get prisma() {
      if (!db) throw new Error("useTestDatabase: the database is open only inside tests");
      return db.prisma;
    },
    get db() {
      if (!db) throw new Error("useTestDatabase: the database is open only inside tests");
      return db;
    },
  };
}

export { trial, checkpoint } from "./checkpoints";
