// The spend ledger on the SpendLedger table (PGlite or PostgreSQL). Every operation is one SQL
// statement, atomic on its row: `tryAdd` is an upsert whose update only happens while the sum
// stays within the cap (PostgreSQL re-checks the condition on the latest row version after
// waiting for a concurrent writer's lock), so processes sharing the database never overspend.

import type { Database } from "../../db";
import type { SpendKey } from "./budget-types";
import { nanoToDecimal } from "./budget-types";
import { parseDecimal } from "../../dspex";
import type { SpendLedger } from "./ledger";

const CONFLICT = `ON CONFLICT ("scope", "scopeId", "period", "windowStart") DO UPDATE SET`;

// windowStart is TIMESTAMP(3) without time zone holding UTC (as Prisma writes it): pass ISO text,
// whose offset PostgreSQL ignores for this type, so the server's time zone never shifts it.
const TRY_ADD = `INSERT INTO "SpendLedger" AS l ("scope", "scopeId", "period", "windowStart", "spentUsd", "updatedAt")
VALUES ($1::"BudgetScope", $2, $3::"BudgetPeriod", $4::timestamp(3), $5::numeric, now() AT TIME ZONE 'UTC')
${CONFLICT} "spentUsd" = l."spentUsd" + EXCLUDED."spentUsd", "updatedAt" = now() AT TIME ZONE 'UTC'
WHERE l."spentUsd" + EXCLUDED."spentUsd" <= $6::numeric
RETURNING "spentUsd"::text AS spent`;

const ADD = `INSERT INTO "SpendLedger" AS l ("scope", "scopeId", "period", "windowStart", "spentUsd", "updatedAt")
VALUES ($1::"BudgetScope", $2, $3::"BudgetPeriod", $4::timestamp(3), GREATEST($5::numeric, 0), now() AT TIME ZONE 'UTC')
${CONFLICT} "spentUsd" = GREATEST(l."spentUsd" + $5::numeric, 0), "updatedAt" = now() AT TIME ZONE 'UTC'
RETURNING "spentUsd"::text AS spent`;

const SPENT = `SELECT "spentUsd"::text AS spent FROM "SpendLedger"
WHERE "scope" = $1::"BudgetScope" AND "scopeId" = $2 AND "period" = $3::"BudgetPeriod" AND "windowStart" = $4::timestamp(3)`;

type Row = { spent: string };

function params(key: SpendKey): unknown[] {
  return [key.scope, key.scopeId, key.period, key.windowStart.toISOString()];
}

function nano(text: string): bigint {
  return parseDecimal(text, 9, "SpendLedger.spentUsd");
}

export function createDatabaseLedger(db: Pick<Database, "sql">): SpendLedger {
  const { sql } = db;
  const spent = async (key: SpendKey) => {
    const rows = await sql.query<Row>(SPENT, params(key));
    return rows[0] ? nano(rows[0].spent) : 0n;
  };
  return {
    async tryAdd(key, amountNano, capNano) {
      if (amountNano > capNano) return { ok: false, spentNano: await spent(key) };
      const rows = await sql.query<Row>(TRY_ADD, [...params(key), nanoToDecimal(amountNano), nanoToDecimal(capNano)]);
      return rows[0] ? { ok: true, spentNano: nano(rows[0].spent) } : { ok: false, spentNano: await spent(key) };
    },
    async add(key, amountNano) {
      const rows = await sql.query<Row>(ADD, [...params(key), nanoToDecimal(amountNano)]);
      return nano(rows[0]!.spent);
    },
    spent,
  };
}

// Every ledger row set to the spend the recorded LM calls of its scope and window add up to.
const RECONCILE = `WITH recorded AS (
  SELECT l."scope", l."scopeId", l."period", l."windowStart", COALESCE(SUM(c."costUsd"), 0) AS spent
  FROM "SpendLedger" l
  LEFT JOIN "LMCall" c ON c."createdAt" >= l."windowStart" AND NOT c."refused" AND (
    l."scope" = 'global'
    OR (l."scope" = 'program' AND c."programId" = l."scopeId")
    OR (l."scope" = 'apiKey' AND c."apiKeyId" = l."scopeId")
    OR (l."scope" = 'optimization' AND c."optimizationId" = l."scopeId"))
  GROUP BY l."scope", l."scopeId", l."period", l."windowStart")
UPDATE "SpendLedger" AS l SET "spentUsd" = r.spent, "updatedAt" = now() AT TIME ZONE 'UTC'
FROM recorded r
WHERE l."scope" = r."scope" AND l."scopeId" = r."scopeId" AND l."period" = r."period" AND l."windowStart" = r."windowStart" AND l."spentUsd" <> r.spent
RETURNING l."scope"::text AS scope, l."scopeId" AS "scopeId", l."period"::text AS period`;

/**
 * Sets every ledger row to what the recorded LM calls of its scope and window cost. A process that
 * died kept its reservations (estimates for calls in flight) in the ledger as spend; run this only
 * when no other process is reserving (the embedded database, or no other live instance), at start.
 * Returns the rows that changed.
 */
export async function reconcileLedger(db: Pick<Database, "sql">): Promise<number> {
  return (await db.sql.query(RECONCILE)).length;
}
