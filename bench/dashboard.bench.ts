// npm run bench -- dashboard: the dashboard at scale. The embedded database (PGlite) is seeded with
// 100,000 runs over 30 days, 1,000,000 spans and 100,000 LM calls (and an optimization of 2,000
// trials, an experiment of 200 examples by 2 versions, 10,000 alerts); then the production server is
// started on it, signed in as the administrator, and every page and the API calls behind them are
// timed from the request to the last byte (server time on localhost): median and max of 5 after
// one warm-up. Goal: every page under 1 s, full-text search under 500 ms.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { report, type Row } from "./lib/report";
import { ensureBuilt, freePort, startServer, stopServer, waitReady } from "./lib/server-process";

const RUNS = 100_000;
const SPANS_PER_RUN = 10;
const SAMPLES = 5;
const BATCH = 5_000;
const ADMIN = { name: "Bench Admin", email: "bench@example.com", password: "bench password 123" };

/** Runs, spans and LM calls spread over the last 30 days across every program and three API keys. */
async function seed(dataDir: string): Promise<{ ms: number; runId: string }> {
  const t0 = performance.now();
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  try {
    const programs = (await db.query<{ id: string; versionId: string }>(`SELECT p.id, p."activeVersionId" AS "versionId" FROM "Program" p WHERE p."activeVersionId" IS NOT NULL`)).rows;
    if (programs.length === 0) throw new Error("no programs to seed runs for");
    await db.exec(`INSERT INTO "ApiKey" (id, name, prefix, "keyHash") SELECT 'bench-key-' || k, 'bench key ' || k, 'dspx_live_bench00' || k, 'bench-hash-' || k FROM generate_series(1, 3) k`);
    const ids = `ARRAY[${programs.map((p) => `'${p.id}'`).join(",")}]`;
    const versions = `ARRAY[${programs.map((p) => `'${p.versionId}'`).join(",")}]`;
    const n = programs.length;
    const interval = Math.floor((30 * 86_400) / RUNS);
    for (let from = 1; from <= RUNS; from += BATCH) {
      const to = Math.min(RUNS, from + BATCH - 1);
      await db.exec(`
        INSERT INTO "Run" (id, "traceId", "programId", "programVersionId", "apiKeyId", source, status, input, output, error, "startedAt", "endedAt", "latencyMs", "inputTokens", "outputTokens", "costUsd", tags, "userId", "sessionId")
        SELECT 'bench-run-' || g, 'bench-trace-' || g, (${ids})[1 + g % ${n}], (${versions})[1 + g % ${n}], 'bench-key-' || (1 + g % 3), 'api',
               (CASE WHEN g % 25 = 0 THEN 'error' ELSE 'ok' END)::"RunStatus",
               jsonb_build_object('question', 'question ' || g || ' about ' || (ARRAY['refunds', 'billing', 'login', 'exports', 'crashes'])[1 + g % 5]), CASE WHEN g % 25 = 0 THEN NULL ELSE jsonb_build_object('answer', 'answer ' || g) END,
               CASE WHEN g % 25 = 0 THEN 'LM_ERROR: the provider failed' END,
               now() - (g * interval '${interval} seconds'), now() - (g * interval '${interval} seconds') + interval '420 milliseconds', 300 + g % 700, 120 + g % 50, 20 + g % 30, 0.0001 + (g % 7) * 0.00001,
               ARRAY['tier-' || (g % 10)], 'user-' || (g % 1000), 'session-' || (g % 20000)
        FROM generate_series(${from}, ${to}) g;
        INSERT INTO "Span" (id, "runId", "parentId", name, kind, status, "startedAt", "endedAt", path)
        SELECT 'bench-span-' || g || '-' || k, 'bench-run-' || g, CASE WHEN k = 0 THEN NULL ELSE 'bench-span-' || g || '-0' END,
               CASE WHEN k = 0 THEN 'program' ELSE 'step ' || k END, CASE WHEN k = 0 THEN 'module' ELSE 'predict' END, 'ok'::"RunStatus",
               now() - (g * interval '${interval} seconds') + k * interval '30 milliseconds', now() - (g * interval '${interval} seconds') + (k + 1) * interval '30 milliseconds',
               CASE WHEN k = 0 THEN 'program' ELSE 'program.step' || k END
        FROM generate_series(${from}, ${to}) g, generate_series(0, ${SPANS_PER_RUN - 1}) k;
        INSERT INTO "LMCall" (id, "runId", "spanId", "programId", "apiKeyId", provider, model, "inputTokens", "outputTokens", "costUsd", "latencyMs", request, response, "createdAt")
        SELECT 'bench-call-' || g, 'bench-run-' || g, 'bench-span-' || g || '-1', (${ids})[1 + g % ${n}], 'bench-key-' || (1 + g % 3), 'openai',
               (ARRAY['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet'])[1 + g % 3], 120 + g % 50, 20 + g % 30, 0.0001 + (g % 7) * 0.00001, 300 + g % 700,
               jsonb_build_object('messages', jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'question ' || g))),
               jsonb_build_object('content', 'answer ' || g), now() - (g * interval '${interval} seconds')
        FROM generate_series(${from}, ${to}) g;
      `);
      // Keeps the write-ahead log short: PGlite slows to a crawl when it grows past a few hundred MB.
      await db.exec("CHECKPOINT");
      process.stdout.write(`  seeded ${to.toLocaleString("en-US")} runs (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    await seedStudyAndAlerts(db, programs);
    await db.exec(`ANALYZE`);
    process.stdout.write("\n");
  } finally {
    await db.close();
  }
  return { ms: performance.now() - t0, runId: "bench-run-4242" };
}

const TRIALS = 2_000;
const EXPERIMENT_EXAMPLES = 200;
const ALERTS = 10_000;

/**
 * An optimization of 2,000 trials (its page and a trial's page), an experiment of 200 examples run
 * by two versions (its page), and 10,000 alerts (the Alerts page, its badge, /metrics).
 */
async function seedStudyAndAlerts(db: PGlite, programs: readonly { id: string; versionId: string }[]): Promise<void> {
  const [a, b] = [programs[0]!, programs[1] ?? programs[0]!];
  await db.exec(`
    INSERT INTO "Optimization" (id, "programId", "baseVersionId", optimizer, status, options, seed, "trialCount", "bestScore", "baselineScore", "startedAt", "endedAt")
    VALUES ('bench-optimization', '${a.id}', '${a.versionId}', 'tpe', 'completed', '{}', 1, ${TRIALS}, 0.99, 0.5, now() - interval '2 hours', now() - interval '1 hour');
    INSERT INTO "Trial" (id, "optimizationId", number, config, status, score, scores, evaluation, examples, "costUsd", "lmCalls", "latencyMs", "createdAt", "finishedAt")
    SELECT 'bench-trial-' || g, 'bench-optimization', g,
           jsonb_build_object('temperature', (g % 100) / 100.0, 'model', (ARRAY['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet'])[1 + g % 3], 'demos.k', g % 8),
           'complete', 0.5 + (g % 50) / 100.0, (SELECT jsonb_agg((g + e) % 2) FROM generate_series(1, 20) e),
           (CASE WHEN g % 4 = 0 THEN 'full' ELSE 'minibatch' END)::"TrialEvaluation", CASE WHEN g % 4 = 0 THEN 20 ELSE 5 END,
           0.001 + (g % 9) * 0.0001, 20, 300 + g % 400, now() - interval '2 hours' + g * interval '1 second', now() - interval '2 hours' + g * interval '1 second' + interval '800 milliseconds'
    FROM generate_series(0, ${TRIALS - 1}) g;
    INSERT INTO "Experiment" (id, "programId", "programName", "datasetVersionId", split, "versionIds", status, examples, "createdAt", "finishedAt")
    SELECT 'bench-experiment', '${a.id}', p.name, (SELECT id FROM "DatasetVersion" LIMIT 1), 'train', ARRAY['${a.versionId}', '${b.versionId}'], 'completed', ${EXPERIMENT_EXAMPLES}, now() - interval '1 hour', now()
    FROM "Program" p WHERE p.id = '${a.id}';
    INSERT INTO "ExperimentResult" (id, "experimentId", "versionId", "exampleId", position, input, expected, output, score, "runId", "costUsd", "latencyMs")
    SELECT 'bench-result-' || g || '-' || v, 'bench-experiment', (ARRAY['${a.versionId}', '${b.versionId}'])[v], 'bench-example-' || g, g,
           jsonb_build_object('question', 'question ' || g), jsonb_build_object('answer', 'answer ' || g), jsonb_build_object('answer', 'answer ' || (g + v % 2 * (g % 3))),
           CASE WHEN v = 1 OR g % 3 = 0 THEN 1 ELSE 0 END, 'bench-run-' || (g * 2 + v), 0.0002, 400 + g % 300
    FROM generate_series(0, ${EXPERIMENT_EXAMPLES - 1}) g, generate_series(1, 2) v;
    INSERT INTO "Alert" (id, kind, severity, title, message, details, "openKey", "firedAt", "acknowledgedAt", delivery)
    SELECT 'bench-alert-' || g, (ARRAY['budget', 'error-rate', 'latency', 'breaker', 'optimization-failed'])[1 + g % 5], CASE WHEN g % 3 = 0 THEN 'critical' ELSE 'warning' END,
           'Alert ' || g, 'What happened to alert ' || g, jsonb_build_object('threshold', 80), 'bench-' || g, now() - g * interval '1 minute',
           CASE WHEN g % 10 = 0 THEN NULL ELSE now() END, 'delivered'
    FROM generate_series(1, ${ALERTS}) g;
  `);
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/setup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function timeGet(url: string, cookie: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

export async function run(): Promise<void> {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), "dspex-dashboard-bench-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { DSPEX_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", DSPEX_API_RATE_LIMIT: "1000000" };
  try {
    // First start: migrations, the bundled programs and datasets. Then seed with the server stopped.
    let server = startServer(env);
    await waitReady(url, server);
    await stopServer(server);
    const seeded = await seed(dataDir);
    console.log(`seeded ${RUNS.toLocaleString("en-US")} runs, ${(RUNS * SPANS_PER_RUN).toLocaleString("en-US")} spans, ${RUNS.toLocaleString("en-US")} LM calls in ${(seeded.ms / 1000).toFixed(1)} s`);

    server = startServer(env);
    try {
      await waitReady(url, server);
      const cookie = await signIn(url);
      const targets: [string, string][] = [
        ["page: overview", "/"],
        ["page: programs", "/programs"],
        ["page: program qa", "/programs/qa"],
        ["page: optimizations", "/optimizations"],
        ["page: runs", "/runs"],
        ["page: runs, status=error, program qa", "/runs?status=error&program=qa"],
        ["page: trace", `/runs/${seeded.runId}`],
        ["page: agents", "/agents"],
        ["page: datasets", "/datasets"],
        ["page: costs", "/costs"],
        ["page: settings", "/settings"],
        ["page: alerts (10,000 alerts)", "/alerts"],
        ["page: experiments", "/experiments"],
        ["page: experiment, 200 examples x 2 versions", "/experiments/bench-experiment"],
        ["page: optimization, 2,000 trials", "/optimizations/bench-optimization"],
        ["page: trial", "/optimizations/bench-optimization/trials/1000"],
        ["page: trace search, one word", "/runs/search?q=refunds"],
        ["api: runs, first page", "/api/v1/runs?limit=50"],
        ["api: runs, status=error", "/api/v1/runs?limit=50&status=error"],
        ["api: runs, program qa", "/api/v1/runs?limit=50&programName=qa"],
        ["api: trace", `/api/v1/runs/${seeded.runId}`],
        ["api: search, word in every run", "/api/v1/runs/search?q=question"],
        ["api: search, word in 1 run of 5", "/api/v1/runs/search?q=refunds"],
        ["api: search, two words (1 of 25 runs)", "/api/v1/runs/search?q=provider%20failed"],
        ["api: search, rare prefix", "/api/v1/runs/search?q=answer%2099999"],
        ["api: search, tag and word", "/api/v1/runs/search?tags=tier-3&q=exports"],
        ["api: search, user id", "/api/v1/runs/search?userId=user-7"],
        ["api: saved views", "/api/v1/views"],
        ["api: costs, 30 days", "/api/v1/costs"],
        ["api: overview metrics", "/api/v1/metrics/overview"],
        ["api: programs", "/api/v1/programs"],
        ["api: optimizations", "/api/v1/optimizations"],
        ["api: alerts, not acknowledged", "/api/v1/alerts?status=open&limit=25"],
        ["api: metrics (Prometheus)", "/api/v1/metrics"],
        ["api: experiments", "/api/v1/experiments"],
        ["api: experiment, 200 examples x 2 versions", "/api/v1/experiments/bench-experiment"],
        ["api: trials, 2,000, first page", "/api/v1/optimizations/bench-optimization/trials?limit=100"],
        ["api: trial", "/api/v1/optimizations/bench-optimization/trials/1000"],
      ];
      const rows: Row[] = [];
      for (const [name, target] of targets) {
        const first = await timeGet(url + target, cookie);
        const times: number[] = [];
        let status = first.status;
        for (let i = 0; i < SAMPLES; i++) {
          const t = await timeGet(url + target, cookie);
          status = t.status;
          times.push(t.ms);
        }
        times.sort((a, b) => a - b);
        rows.push({ target: name, status, "first (ms)": Math.round(first.ms), "median (ms)": Math.round(times[Math.floor(SAMPLES / 2)]!), "max (ms)": Math.round(times[SAMPLES - 1]!), "under 1 s": times[SAMPLES - 1]! < 1000 ? "yes" : "NO" });
      }
      await report("dashboard", rows, { runs: RUNS, spans: RUNS * SPANS_PER_RUN, lmCalls: RUNS, backend: "pglite" });
    } finally {
      await stopServer(server);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) void run();
