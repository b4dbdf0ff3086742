import type { Pool, PoolClient } from "pg";
import type { SqlConnection, SqlSession } from "./sql-connection";

function sessionOf(client: Pool | PoolClient): SqlSession {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      const res = await client.query(sql, params as unknown[] | undefined);
      return res.rows as Row[];
    },
    async exec(script: string) {
      // Without parameters, pg uses the simple query protocol, which accepts several statements.
      await client.query(script);
    },
  };
}

/** `backend` names the database behind the pool (the embedded one is reached over `pg` too). */
export function pgConnection(pool: Pool, backend: SqlConnection["backend"] = "postgres"): SqlConnection {
  return {
    backend,
    ...sessionOf(pool),
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn(sessionOf(client));
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
