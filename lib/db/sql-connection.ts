/** The few raw-SQL operations DSPEx needs below Prisma: migrations, health checks, benchmarks. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
}

export interface SqlConnection extends SqlSession {
  readonly backend: "pglite" | "postgres";
  /** Runs fn on one dedicated session (one connection), so session state such as locks holds. */
  session<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
