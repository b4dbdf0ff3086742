// Inserts per second, one row per statement vs. batched createMany, and point reads per second,
// on the embedded PGlite database and on the local PostgreSQL, with the real schema (LMCall rows,
// the table the telemetry writer fills fastest).
import { randomUUID } from "node:crypto";
import { openDatabase, type Database } from "../../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "../../lib/db/testing";
import { report, timed, type Row } from "../lib/report";

const SINGLE = 1_000;
const BATCHES = 20;
const BATCH_SIZE = 1_000;
const READS = 2_000;
const CONCURRENT_READERS = 16;

function lmCall(i: number) {
  return {
    id: randomUUID(),
    provider: "bench",
    model: i % 2 ? "gpt-4o-mini" : "dspex-demo",
    inputTokens: 100 + (i % 50),
    cachedInputTokens: i % 7,
    outputTokens: 20 + (i % 30),
    costUsd: "0.000012345",
    latencyMs: 10 + (i % 100),
  };
}

async function measure(t: TestDatabase): Promise<Row> {
  const db: Database = await openDatabase(t.config);
  try {
    const p = db.prisma;
    const single = await timed(async () => {
      for (let i = 0; i < SINGLE; i++) await p.lMCall.create({ data: lmCall(i) });
    });
    const batched = await timed(async () => {
      for (let b = 0; b < BATCHES; b++) {
        await p.lMCall.createMany({ data: Array.from({ length: BATCH_SIZE }, (_, i) => lmCall(b * BATCH_SIZE + i)) });
      }
    });
    const ids = (await p.lMCall.findMany({ select: { id: true }, take: 5_000 })).map((r) => r.id);
    const pick = (i: number) => ids[(i * 7919) % ids.length]!;
    const reads = await timed(async () => {
      for (let i = 0; i < READS; i++) await p.lMCall.findUnique({ where: { id: pick(i) } });
    });
    const concurrent = await timed(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENT_READERS }, async () => {
          while (next < READS) await p.lMCall.findUnique({ where: { id: pick(next++) } });
        }),
      );
    });
    return {
      backend: db.backend,
      "single inserts/s": Math.round(SINGLE / (single.ms / 1000)),
      "batched inserts/s": Math.round((BATCHES * BATCH_SIZE) / (batched.ms / 1000)),
      "batch/single": Number((((BATCHES * BATCH_SIZE) / batched.ms) / (SINGLE / single.ms)).toFixed(1)),
      "point reads/s": Math.round(READS / (reads.ms / 1000)),
      [`point reads/s (${CONCURRENT_READERS} concurrent)`]: Math.round(READS / (concurrent.ms / 1000)),
    };
  } finally {
    await db.close();
  }
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const fresh of [freshPgliteDatabase, () => freshPostgresDatabase("dspex_bench")]) {
    const t = await fresh();
    try {
      rows.push(await measure(t));
    } finally {
      await t.destroy();
    }
  }
  await report("db", rows, { single: SINGLE, batched: BATCHES * BATCH_SIZE, batchSize: BATCH_SIZE, reads: READS });
}
