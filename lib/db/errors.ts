import { CodedError } from "../errors";

export type DatabaseErrorCode =
  | "DB_CONNECT_FAILED"
  | "DB_DATA_DIR_IN_USE"
  | "DB_MIGRATION_FAILED"
  | "DB_MIGRATION_HISTORY"
  | "DB_BACKUP_FAILED";

/** A database problem at start-up or migration time; the message is one line a person can act on. */
export class DatabaseError extends CodedError<DatabaseErrorCode> {}
