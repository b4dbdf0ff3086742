export type DatabaseErrorCode =
  | "DB_CONNECT_FAILED"
  | "DB_DATA_DIR_IN_USE"
  | "DB_MIGRATION_FAILED"
  | "DB_MIGRATION_HISTORY";

/** A database problem at start-up or migration time; the message is one line a person can act on. */
export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatabaseError";
  }
}
