export { openDatabase, migrateDatabase, redactUrl, DEFAULT_MIGRATIONS_DIR, type Database, type Backend, type OpenDatabaseOptions } from "./database";
export { applyMigrations, readMigrations, checksumOf, type Migration, type MigrationReport } from "./migrations";
export { DatabaseError, type DatabaseErrorCode } from "./errors";
export type { SqlConnection, SqlSession } from "./sql-connection";
export { pgliteConnection } from "./pglite-connection";
export { pgConnection } from "./pg-connection";
export { PrismaClient, Prisma } from "./generated/client";
export type * from "./generated/models";
export { backupDatabase, restoreDatabase, type BackupTarget } from "./backup";
