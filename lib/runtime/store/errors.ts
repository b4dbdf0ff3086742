// One root error for the store. `code` is what an API route maps to a status (NOT_FOUND 404,
// CONFLICT 409, INVALID 400); `issues` name each field at fault, for forms.
import { CodedError } from "../../errors";

export type StoreErrorCode = "NOT_FOUND" | "CONFLICT" | "INVALID";

/**
 * Marks store errors across copies of this module: the dashboard's pages are bundled by Next while
 * the runtime they call through runs from source, so `instanceof` alone would miss the runtime's errors.
 */
const STORE_ERROR = Symbol.for("dspex.store-error");

export interface StoreIssue {
  /** Dotted path of the field at fault, e.g. "config.temperature", "examples.3.inputs". */
  readonly field: string;
  readonly message: string;
}

export class StoreError extends CodedError<StoreErrorCode> {
  constructor(
    code: StoreErrorCode,
    message: string,
    readonly issues: readonly StoreIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  get [STORE_ERROR](): true {
    return true;
  }

  /** Plain data for an API error body. */
  toJSON(): { code: StoreErrorCode; message: string; issues: readonly StoreIssue[] } {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

/** A row that does not exist; `entity` and `key` say which. */
export class NotFoundError extends StoreError {
  constructor(
    readonly entity: string,
    readonly key: string,
    readonly field: string = "id",
  ) {
    super("NOT_FOUND", `${entity} ${JSON.stringify(key)} not found`, [{ field, message: `no ${entity} ${JSON.stringify(key)}` }]);
  }
}

/** The request clashes with stored state (a taken name, a forbidden status change). */
export class ConflictError extends StoreError {
  constructor(message: string, field: string) {
    super("CONFLICT", message, [{ field, message }]);
  }
}

/** Input that fails validation; `issues` lists every reason, each naming its field. */
export class InvalidInputError extends StoreError {
  constructor(what: string, issues: readonly StoreIssue[]) {
    super("INVALID", `${what}: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ")}`, issues);
  }
}

/** A dataset file with bad rows: nothing was imported; `rows` lists each error with its line. */
export class DatasetImportError extends StoreError {
  constructor(
    readonly rows: readonly { readonly line: number; readonly field?: string; readonly message: string }[],
    readonly errorCount: number,
  ) {
    super(
      "INVALID",
      `dataset file: ${errorCount} error${errorCount === 1 ? "" : "s"}, nothing imported; first: line ${rows[0]?.line ?? "?"}: ${rows[0]?.field ? `${rows[0].field} ` : ""}${rows[0]?.message ?? ""}`,
      rows.map((r) => ({ field: r.field ?? "file", message: `line ${r.line}: ${r.message}` })),
    );
  }
}

export function isStoreError(err: unknown): err is StoreError {
  return err instanceof StoreError || (err instanceof Error && (err as Error & { [STORE_ERROR]?: unknown })[STORE_ERROR] === true);
}
