// npm run bench -- reliability: the production server (dist/server.js) in front of a model in a
// process of its own, on PGlite and on PostgreSQL.
//   kill -9 / SIGTERM under load: 500 predictions at once (the model answering in 50-250 ms), the
//     signal once 150 are answered, 100 more sent on the kept-alive connections after a SIGTERM,
//     then a restart on the same database. Counted: answers 200 whose run is not recorded ok with
//     its output (goal 0), runs left running after the restart (goal 0), requests cut without an
//     HTTP status, and the budget ledger against the recorded spend.
//   faults: one provider request in five a fault (429 + Retry-After, 500, a hang, malformed JSON,
//     a reply cut at 20%), 500 predictions at once: every request answered with a status, no run
//     left running; then the faults stop and 20 predictions in a row must succeed (the breaker closes).
//   overload: 100 predictions at once against a limit of 20 provider requests per minute, with a
//     bounded wait for capacity: the provider never sees more than 20, callers get 200 or 429 with
//     Retry-After within the wait.
//   RELIABILITY_BACKENDS=pglite,postgres   RELIABILITY_SCENARIOS=kill,term,faults,overload   DSPEX_BENCH_PORT=4410
import type { ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { openDatabase } from "../../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from "../../lib/db/testing";
import { createApiKey } from "../../lib/runtime/store";
import { report, type Row } from "../lib/report";
import { ensureServerBuilt, startServer, stopServer, waitReady, type ServerProcess } from "../lib/server-process";
import { until } from "../lib/wait";
import { ask, child, ports } from "../serving/processes";

const INPUT = { context: "DSPEx runs language-model programs under supervision.", question: "What does DSPEx run?" };
const BACKENDS = (process.env.RELIABILITY_BACKENDS ?? "pglite,postgres").split(",") as ("pglite" | "postgres")[];
const SCENARIOS = (process.env.RELIABILITY_SCENARIOS ?? "kill,term,faults,overload").split(",");

type Outcome = { kind: "answered"; status: number; code: string | null; runId: string | null; retryAfter: string | null; ms: number } | { kind: "cut"; ms: number; error: string };

function predict(agent: Agent, url: string, key: string): Promise<Outcome> {
  const body = JSON.stringify({ input: INPUT });
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/programs/qa/predict`, { method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "cut", ms: performance.now() - t0, error: e.code ?? e.message }));
      res.on("end", () => {
        let parsed: { runId?: string; error?: { code?: string } } = {};
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          // a body cut short
        }
        const retryAfter = res.headers["retry-after"];
        resolve({ kind: "answered", status: res.statusCode ?? 0, code: parsed.error?.code ?? null, runId: parsed.runId ?? (res.headers["x-run-id"] as string | undefined) ?? null, retryAfter: typeof retryAfter === "string" ? retryAfter : null, ms: performance.now() - t0 });
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "cut", ms: performance.now() - t0, error: e.code ?? e.message }));
    req.end(body);
  });
}

function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return counts.size === 0 ? "0" : [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

interface Stack {
  readonly t: TestDatabase;
  readonly url: string;
  readonly key: string;
  readonly apiKeyId: string;
  readonly lm: ChildProcess;
  readonly env: Record<string, string>;
  server: ServerProcess;
  close(): Promise<void>;
}

async function stack(backend: "pglite" | "postgres", lmEnv: Record<string, string>, serverEnv: Record<string, string>, offset: number): Promise<Stack> {
  const t = backend === "pglite" ? await freshPgliteDatabase() : await freshPostgresDatabase("dspex_reliability_bench");
  const [serverPort, lmPort] = await ports(offset);
  const db = await openDatabase(t.config);
  const { key, apiKey } = await createApiKey(db.prisma, { name: "reliability bench", rateLimitPerMinute: 1_000_000 });
  await db.prisma.budget.create({ data: { scope: "global", period: "day", limitUsd: "1000000" } });
  await db.close();
  const lm = (await child("lm-process.ts", { LM_PORT: String(lmPort), ...lmEnv })).proc;
  const lmUrl = `http://127.0.0.1:${lmPort}/v1`;
  const url = `http://127.0.0.1:${serverPort}`;
  const env = {
    ...(t.config.url ? { DATABASE_URL: t.config.url } : {}),
    DSPEX_DATA_DIR: t.config.dataDir,
    PORT: String(serverPort),
    HOST: "127.0.0.1",
    DSPEX_LM_BASE_URL: lmUrl,
    DSPEX_LM_API_KEY: "bench",
    DSPEX_LM_MODEL: "dspex-demo-1",
    DSPEX_API_RATE_LIMIT: "100000000",
    DSPEX_SHUTDOWN_TIMEOUT_MS: "10000",
    // This measures recording and stopping, not load shedding (a loaded machine lags past 1 s).
    DSPEX_MAX_EVENT_LOOP_LAG_MS: "0",
    ...serverEnv,
  };
  const server = startServer(env);
  await waitReady(url, server);
  const s: Stack = {
    t,
    url,
    key,
    apiKeyId: apiKey.id,
    lm,
    env,
    server,
    async close() {
      lm.send({ type: "exit" });
      await stopServer(s.server);
      await t.destroy();
    },
  };
  return s;
}

async function signalUnderLoad(backend: "pglite" | "postgres", signal: "SIGKILL" | "SIGTERM", rows: Row[]): Promise<void> {
  const s = await stack(backend, { LM_LATENCY_MS: "50-250" }, {}, signal === "SIGKILL" ? 0 : 2);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 500 });
    let answered = 0;
    const first = Array.from({ length: 500 }, () =>
      predict(agent, s.url, s.key).then((o) => {
        if (o.kind === "answered" && o.status === 200) answered++;
        return o;
      }),
    );
    await until("150 answers 200", async () => (answered >= 150 ? true : undefined), 600_000, 2);
    s.server.child.kill(signal);
    // After a graceful stop begins, kept-alive connections must refuse new requests, not cut them.
    const late = signal === "SIGTERM" ? Array.from({ length: 100 }, () => predict(agent, s.url, s.key)) : [];
    await s.server.exited;
    const results = [...(await Promise.all(first)), ...(await Promise.all(late))];
    agent.destroy();

    s.server = startServer(s.env);
    await waitReady(s.url, s.server);
    await inspect(s, rows, async (db) => {
      await until("no run left running", async () => ((await db.prisma.run.count({ where: { apiKeyId: s.apiKeyId, status: "running" } })) === 0 ? true : undefined), 60_000, 100).catch(() => false);
      const runs = await db.prisma.run.findMany({ where: { apiKeyId: s.apiKeyId }, select: { id: true, status: true, output: true } });
      const byId = new Map(runs.map((r) => [r.id, r]));
      const ok = results.filter((o): o is Extract<Outcome, { kind: "answered" }> => o.kind === "answered" && o.status === 200);
      const unrecorded = ok.filter((o) => {
        const r = o.runId ? byId.get(o.runId) : undefined;
        return !r || r.status !== "ok" || r.output === null;
      }).length;
      return {
        backend,
        signal,
        "answered 200": ok.length,
        "other answers": tally(results.flatMap((o) => (o.kind === "answered" && o.status !== 200 ? [`${o.status} ${o.code}`] : []))),
        "no status (connection error)": tally(results.flatMap((o) => (o.kind === "cut" ? [o.error] : []))),
        "200 not recorded ok with output": unrecorded,
        "runs left running after restart": runs.filter((r) => r.status === "running").length,
        "ledger $ / recorded LM calls $": await ledgerAgainstRecorded(db),
      };
    });
  } finally {
    await s.close();
  }
}

/** Runs `fn` on the stack's database (see openDatabaseBeside) and adds the row it returns. */
async function inspect(s: Stack, rows: Row[], fn: (db: { prisma: Awaited<ReturnType<typeof openDatabase>>["prisma"] }) => Promise<Row>): Promise<void> {
  const db = await openDatabaseBeside(s);
  try {
    rows.push({ ...(await fn(db)), load: loadavg()[0]!.toFixed(1) });
    console.log(JSON.stringify(rows.at(-1)));
  } finally {
    await db.close();
  }
}

/** A second connection to the stack's database while its server runs (PostgreSQL only); PGlite is read through the server's process. */
async function openDatabaseBeside(s: Stack): Promise<{ prisma: Awaited<ReturnType<typeof openDatabase>>["prisma"]; close(): Promise<void> }> {
  if (s.t.config.url) return openDatabase(s.t.config);
  // The embedded database belongs to one process: stop the server to read it.
  await stopServer(s.server);
  const db = await openDatabase(s.t.config);
  return {
    prisma: db.prisma,
    async close() {
      await db.close();
      s.server = startServer(s.env);
      await waitReady(s.url, s.server);
    },
  };
}

async function ledgerAgainstRecorded(db: { prisma: Awaited<ReturnType<typeof openDatabase>>["prisma"] }): Promise<string> {
  const ledger = await db.prisma.spendLedger.findMany({ where: { scope: "global", period: "day" } });
  const spent = ledger.reduce((sum, r) => sum + Number(r.spentUsd), 0);
  const recorded = await db.prisma.lMCall.aggregate({ _sum: { costUsd: true } });
  return `${spent.toFixed(6)} / ${Number(recorded._sum.costUsd ?? 0).toFixed(6)}`;
}

async function faults(backend: "pglite" | "postgres", rows: Row[]): Promise<void> {
  const s = await stack(backend, { LM_LATENCY_MS: "20-80", LM_FAULTS: "1" }, { DSPEX_LM_TIMEOUT_MS: "2000" }, 4);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 500 });
    const results = await Promise.all(Array.from({ length: 500 }, () => predict(agent, s.url, s.key)));
    s.lm.send({ type: "faults", on: false });
    await new Promise((r) => setTimeout(r, 6_000));
    let recovered = 0;
    for (let i = 0; i < 20; i++) {
      const o = await predict(agent, s.url, s.key);
      if (o.kind === "answered" && o.status === 200) recovered++;
    }
    agent.destroy();
    await inspect(s, rows, async (db) => {
      const running = await until("no run left running", async () => {
        const n = await db.prisma.run.count({ where: { apiKeyId: s.apiKeyId, status: "running" } });
        return n === 0 ? 0 : undefined;
      }, 30_000).catch(async () => db.prisma.run.count({ where: { apiKeyId: s.apiKeyId, status: "running" } }));
      return {
        backend,
        outcomes: tally(results.map((o) => (o.kind === "cut" ? `cut ${o.error}` : o.status === 200 ? "200" : `${o.status} ${o.code}`))),
        "slowest answer s": Math.round(Math.max(...results.map((o) => o.ms)) / 100) / 10,
        "runs left running": running,
        "after the faults stop, 20 in a row": `${recovered} answered 200`,
      };
    });
  } finally {
    await s.close();
  }
}

async function overload(backend: "pglite" | "postgres", rows: Row[]): Promise<void> {
  const s = await stack(backend, { LM_LATENCY_MS: "20-80" }, { DSPEX_LM_RPM: "20", DSPEX_LM_MAX_WAIT_MS: "3000" }, 6);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const results = await Promise.all(Array.from({ length: 100 }, () => predict(agent, s.url, s.key)));
    agent.destroy();
    const seen = (await ask<{ count: number }>(s.lm, { type: "count" })).count;
    const refused = results.filter((o): o is Extract<Outcome, { kind: "answered" }> => o.kind === "answered" && o.status === 429);
    rows.push({
      backend,
      "sent (limit 20/min)": results.length,
      "provider saw": seen,
      "answered 200": results.filter((o) => o.kind === "answered" && o.status === 200).length,
      "429 with Retry-After": refused.filter((o) => o.retryAfter !== null).length,
      other: results.length - results.filter((o) => o.kind === "answered" && (o.status === 200 || o.status === 429)).length,
      "slowest 429 s": refused.length ? Math.round(Math.max(...refused.map((o) => o.ms)) / 100) / 10 : "-",
      load: loadavg()[0]!.toFixed(1),
    });
    console.log(JSON.stringify(rows.at(-1)));
  } finally {
    await s.close();
  }
}

export async function run(): Promise<void> {
  ensureServerBuilt();
  const signals: Row[] = [];
  const faultRows: Row[] = [];
  const overloadRows: Row[] = [];
  for (const backend of BACKENDS) {
    if (SCENARIOS.includes("kill")) await signalUnderLoad(backend, "SIGKILL", signals);
    if (SCENARIOS.includes("term")) await signalUnderLoad(backend, "SIGTERM", signals);
    if (SCENARIOS.includes("faults")) await faults(backend, faultRows);
    if (SCENARIOS.includes("overload")) await overload(backend, overloadRows);
  }
  await report("reliability-signals", signals, { predictions: 500, signalAfter: 150, lateOnKeptAlive: 100 });
  await report("reliability-faults", faultRows, { predictions: 500, faultShare: 0.2 });
  await report("reliability-overload", overloadRows, { predictions: 100, rpm: 20, maxWaitMs: 3000 });
}
