// What a command's exit code means; every failure is a CliError with one of them.
export const EXIT = {
  ok: 0,
  /** The operation ran and failed (a program does not load, an optimization failed, a score is under --min-score). */
  failed: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** A program, version, dataset, optimization or key that does not exist. */
  notFound: 3,
  /** Input the server refused (it names the field). */
  invalid: 4,
  /** The server cannot be reached, refuses the key, or the data directory is in use. */
  unavailable: 5,
  /** Stopped by Ctrl-C (an optimization is stopped cleanly first and can be resumed). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** An HTTP error code of the serving API -> the exit code. */
export function exitCodeOfApiError(code: string, status: number): ExitCode {
  if (code === "NOT_FOUND" || status === 404) return EXIT.notFound;
  if (status === 401 || status === 403 || status === 503) return EXIT.unavailable;
  if (status >= 400 && status < 500) return EXIT.invalid;
  return EXIT.failed;
}
