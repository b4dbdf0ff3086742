// npm run bench -- search: full-text trace search on 100,000 runs, on PGlite and PostgreSQL. Each
// backend gets a fresh database with the migrations applied (the GIN index included), 100,000 runs
// over 30 days with varied inputs, outputs, errors, tags and user ids; then each search is timed
// through the store (the query the API runs): median and max of 5 after one warm-up. Goal: under 500 ms.
import { openDatabase } from "../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "../lib/db/testing";
import { createStore } from "../lib/runtime/store";
import type { RunSearchQuery } from "../lib/schemas";
import { report, type Row } from "./lib/report";

const RUNS = 100_000;
const BATCH = 10_000;
const SAMPLES = 5;

const SEARCHES: [string, RunSearchQuery][] = [
  ["no words (newest first)", {}],
  ["word in every run", { q: "question" }],
  ["word in 1 run of 5", { q: "refunds" }],
  ["two words (1 run of 25)", { q: "provider failed" }],
  ["rare prefix", { q: "answer 99999" }],
  ["no match", { q: "zanzibar" }],
  ["tag and word", { tags: ["tier-3"], q: "exports" }],
  ["user id", { userId: "user-7" }],
  ["word, page 20", { q: "refunds", page: 20 }],
];

async function seed(exec: (sql: string) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  const interval = Math.floor((30 * 86_400) / RUNS);
  for (let from = 1; from <= RUNS; from += BATCH) {
    const to = Math.min(RUNS, from + BATCH - 1);
    await exec(`
      INSERT INTO "Run" (id, "traceId", source, status, input, output, error, "startedAt", "endedAt", "latencyMs", "costUsd", tags, "userId", "sessionId")
      SELECT 'bench-run-' || g, 'bench-trace-' || g, 'api', (CASE WHEN g % 25 = 0 THEN 'error' ELSE 'ok' END)::"RunStatus",
             jsonb_build_object('question', 'question ' || g || ' about ' || (ARRAY['refunds', 'billing', 'login', 'exports', 'crashes'])[1 + g % 5]),
             CASE WHEN g % 25 = 0 THEN NULL ELSE jsonb_build_object('answer', 'answer ' || g) END,
             CASE WHEN g % 25 = 0 THEN 'LM_ERROR: the provider failed' END,
             now() - (g * interval '${interval} seconds'), now() - (g * interval '${interval} seconds') + interval '420 milliseconds', 300 + g % 700, 0.0001,
             ARRAY['tier-' || (g % 10)], 'user-' || (g % 1000), 'session-' || (g % 20000)
      FROM generate_series(${from}, ${to}) g`);
  }
  await exec("ANALYZE");
  return performance.now() - t0;
}

async function measure(backend: string, fresh: () => Promise<TestDatabase>): Promise<Row[]> {
  const t = await fresh();
  const db = await openDatabase(t.config);
  try {
    const seedMs = await seed((sql) => db.prisma.$executeRawUnsafe(sql));
    console.log(`${backend}: seeded ${RUNS.toLocaleString("en-US")} runs in ${(seedMs / 1000).toFixed(1)} s`);
    const store = createStore(db.prisma);
    const rows: Row[] = [];
    for (const [name, query] of SEARCHES) {
      const first = await store.searchRuns(query);
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now();
        await store.searchRuns(query);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      rows.push({ backend, search: name, matches: first.total, "median (ms)": Math.round(times[Math.floor(SAMPLES / 2)]!), "max (ms)": Math.round(times[SAMPLES - 1]!), "under 500 ms": times[SAMPLES - 1]! < 500 ? "yes" : "NO" });
    }
    return rows;
  } finally {
    await db.close();
    await t.destroy();
  }
}

export async function run(): Promise<void> {
  const rows = [...(await measure("pglite", freshPgliteDatabase)), ...(await measure("postgres", () => freshPostgresDatabase("dspex_bench_search")))];
  await report("search", rows, { runs: RUNS });
}
