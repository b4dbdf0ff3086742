// npm run bench -- runtime (crash part): the real server (node server.ts, production build) on a
// fresh PostgreSQL database with the demo model answering in 300-900 ms. An optimization runs
// through the API; 500 predictions are sent at once; while they are in flight the server gets
// SIGKILL. It is started again on the same database, and we count:
//   - requests lost: a run still "running" once the restarted server has reaped the dead one's
//     runs, or a request answered 200 whose run is not recorded as completed (goal 0 for the first;
//     the second is the event writer's flush window, reported as it is)
//   - requests explicitly failed (the server had accepted them; the client saw its connection cut)
//   - requests never accepted (connection cut before any run was recorded; the client knows)
//   - trials repeated: finished trials written again after the restart (goal 0), and whether the
//     optimization completes with one row per trial number.
import { Agent, request } from "node:http";
import { openDatabase } from "../../lib/db";
import { freshPostgresDatabase } from "../../lib/db/testing";
import { createApiKey } from "../../lib/runtime/store";
import { report, type Row } from "../lib/report";
import { ensureBuilt, freePort, startServer, waitReady } from "../lib/server-process";
import { until } from "../lib/wait";

const PREDICTIONS = 500;
const KILL_AFTER_ANSWERS = 150;
const INPUT = { context: "DSPEx runs language-model programs under supervision.", question: "What does DSPEx run?" };

type Outcome = { kind: "answered"; status: number; runId: string | null } | { kind: "cut" };

function predict(agent: Agent, url: string, key: string): Promise<Outcome> {
  const body = JSON.stringify({ input: INPUT });
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/programs/qa/predict`, { method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("error", () => resolve({ kind: "cut" }));
      res.on("end", () => {
        let runId: string | null = null;
        try {
          runId = (JSON.parse(text) as { runId?: string }).runId ?? null;
        } catch {
          // a body cut short
        }
        resolve({ kind: "answered", status: res.statusCode ?? 0, runId });
      });
    });
    req.on("error", () => resolve({ kind: "cut" }));
    req.end(body);
  });
}

export async function run(): Promise<void> {
  ensureBuilt();

  const t = await freshPostgresDatabase("dspex_crash_bench");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { DATABASE_URL: t.config.url ?? "", DSPEX_DATA_DIR: t.config.dataDir, PORT: String(port), HOST: "127.0.0.1", DSPEX_DEMO_LATENCY_MS: "300-900", DSPEX_API_RATE_LIMIT: "100000" };
  let server = startServer(env);
  const db = await (async () => {
    await waitReady(url, server);
    return openDatabase(t.config);
  })();
  try {
    const { key, apiKey } = await createApiKey(db.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "crash bench", rateLimitPerMinute: 1_000_000 });

    // The optimization: launched through the API, running as a job; a few trials finish first.
    const dataset = await db.prisma.datasetVersion.findFirstOrThrow({ where: { dataset: { name: "qa" } }, orderBy: { number: "desc" }, select: { id: true } });
    const launched = await fetch(`${url}/api/v1/optimizations`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ programName: "qa", datasetVersionId: dataset.id, optimizer: "mipro-v2", seed: 3, budget: { lmCalls: 300 } }),
    });
    if (launched.status !== 201) throw new Error(`launching the optimization failed: ${launched.status} ${await launched.text()}`);
    const optimizationId = ((await launched.json()) as { id: string }).id;
    await until(
      "3 finished trials",
      async () => {
        const o = await db.prisma.optimization.findUniqueOrThrow({ where: { id: optimizationId }, select: { status: true, error: true } });
        if (o.status === "failed") throw new Error(`the optimization failed: ${o.error}`);
        return (await db.prisma.trial.count({ where: { optimizationId } })) >= 3 ? true : undefined;
      },
      180_000,
      200,
    );

    // 500 predictions at once; SIGKILL once some have been answered and the rest are in flight.
    const agent = new Agent({ keepAlive: true, maxSockets: PREDICTIONS });
    let answered = 0;
    const outcomes = Array.from({ length: PREDICTIONS }, () =>
      predict(agent, url, key).then((o) => {
        if (o.kind === "answered") answered++;
        return o;
      }),
    );
    await until(`${KILL_AFTER_ANSWERS} answers`, async () => (answered >= KILL_AFTER_ANSWERS ? true : undefined), 60_000, 5);
    server.child.kill("SIGKILL");
    const killedAt = new Date();
    await server.exited;
    const results = await Promise.all(outcomes);
    agent.destroy();
    const trialsAtKill = await db.prisma.trial.findMany({ where: { optimizationId }, select: { number: true, createdAt: true, finishedAt: true } });
    const runningAtKill = await db.prisma.run.count({ where: { apiKeyId: apiKey.id, status: "running" } });

    // Restart on the same database.
    server = startServer(env);
    const restartMs = await waitReady(url, server);
    const resolveStart = performance.now();
    await until("no run left running", async () => ((await db.prisma.run.count({ where: { apiKeyId: apiKey.id, status: "running" } })) === 0 ? true : undefined), 120_000, 50);
    const resolvedMs = performance.now() - resolveStart + restartMs;

    const runs = await db.prisma.run.findMany({ where: { apiKeyId: apiKey.id }, select: { id: true, status: true } });
    const statusById = new Map(runs.map((r) => [r.id, r.status]));
    const ok = results.filter((o): o is Extract<Outcome, { kind: "answered" }> => o.kind === "answered" && o.status === 200);
    const otherStatus = results.filter((o) => o.kind === "answered" && o.status !== 200).length;
    const cut = results.filter((o) => o.kind === "cut").length;
    const answeredRecorded = ok.filter((o) => o.runId !== null && statusById.get(o.runId) === "ok").length;
    const answeredUnrecorded = ok.length - answeredRecorded;
    const answeredIds = new Set(ok.map((o) => o.runId));
    const explicitlyFailed = runs.filter((r) => r.status === "error" && !answeredIds.has(r.id)).length;
    const stillRunning = runs.filter((r) => r.status === "running").length;
    const neverAccepted = cut - explicitlyFailed;

    // The optimization resumes from its checkpoint and finishes.
    const finished = await until(
      "the optimization to finish",
      async () => {
        const o = await db.prisma.optimization.findUnique({ where: { id: optimizationId }, select: { status: true } });
        return o && ["completed", "failed"].includes(o.status) ? o.status : undefined;
      },
      900_000,
      500,
    );
    const trials = await db.prisma.trial.findMany({ where: { optimizationId }, select: { number: true, createdAt: true, finishedAt: true }, orderBy: { number: "asc" } });
    const before = new Map(trialsAtKill.map((tr) => [tr.number, tr.finishedAt?.getTime() ?? tr.createdAt.getTime()]));
    const repeated = trials.filter((tr) => before.has(tr.number) && (tr.finishedAt?.getTime() ?? tr.createdAt.getTime()) !== before.get(tr.number)).length;
    const numbers = trials.map((tr) => tr.number);
    const contiguous = numbers.every((n, i) => n === numbers[0]! + i);

    const rows: Row[] = [
      { measure: "predictions sent", value: PREDICTIONS },
      { measure: "answered 200 before the kill", value: ok.length },
      { measure: "answered with another status", value: otherStatus },
      { measure: "connections cut by the kill", value: cut },
      { measure: "runs left running at the kill", value: runningAtKill },
      { measure: "accepted, then explicitly failed after restart", value: explicitlyFailed },
      { measure: "never accepted (no run recorded; client saw the cut)", value: neverAccepted },
      { measure: "LOST: still running after restart", value: stillRunning },
      { measure: "answered 200 but run not recorded as completed", value: answeredUnrecorded },
      { measure: "restart to ready (ms)", value: Math.round(restartMs) },
      { measure: "restart to every run resolved (ms)", value: Math.round(resolvedMs) },
      { measure: "trials finished at the kill", value: trialsAtKill.length },
      { measure: "trials in the end", value: trials.length },
      { measure: "REPEATED: finished trials written again", value: repeated },
      { measure: "trial numbers contiguous, one row each", value: contiguous ? "yes" : "no" },
      { measure: "optimization status", value: finished },
    ];
    await report("runtime-crash", rows, { killedAt: killedAt.toISOString(), demoLatencyMs: "300-900", backend: "postgres" });
  } finally {
    server.child.kill("SIGTERM");
    await Promise.race([server.exited, new Promise((r) => setTimeout(r, 15_000))]);
    await db.close();
    await t.destroy();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) void run();
