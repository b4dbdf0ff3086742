import type { PGlite } from "@electric-sql/pglite";
import type { SqlConnection, SqlSession } from "./sql-connection";

/** PGlite is a single in-process connection: every session is the database itself. */
export function pgliteConnection(db: PGlite): SqlConnection {
  const session: SqlSession = {
    async query<Row>(sql: string, params?: unknown[]) {
      const res = await db.query<Row>(sql, params);
      return res.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
  return {
    backend: "pglite",
    ...session,
    session: (fn) => fn(session),
    close: () => db.close(),
  };
}
