// The acceptance test of agents across processes, on the local Redis and PostgreSQL: three real
// worker processes (`npm run worker`'s entry, production timings) run an agent system of 12
// agents placed across them; 500 tasks are sent from this process; one worker (the leader, the
// worst case) is killed with SIGKILL midway. Every task completes exactly once, and the dead
// worker's agents are running on the other two within 10 s.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase, type TestDatabase } from "../../../db/testing";
import { removeRedisKeys, TEST_REDIS_URL, testRedisPrefix, waitUntil } from "../../jobs/testing";
import { startClusterNode, type ClusterNode } from "../index";
import pool from "./testing/programs/pool";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "../../../..");
const WORKER = path.join(ROOT, "lib/runtime/jobs/worker-main.ts");
const PROGRAMS = path.join(here, "testing/programs");

describe("an agent system across three worker processes, one killed with SIGKILL during 500 tasks", () => {
  const prefix = testRedisPrefix("agents-procs");
  const children: ChildProcess[] = [];
  let db: TestDatabase | undefined;
  let dataDir = "";
  let client: ClusterNode | undefined;

  afterAll(async () => {
    await client?.stop();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
    await removeRedisKeys(prefix);
    await db?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("completes every task exactly once, and the dead worker's agents are back on the others within 10 s", async () => {
    db = await freshPostgresDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), "dspex-agents-procs-"));
    const env = { ...process.env, DATABASE_URL: db.config.url!, REDIS_URL: TEST_REDIS_URL, DSPEX_REDIS_PREFIX: prefix, DSPEX_DATA_DIR: dataDir, DSPEX_PROGRAMS_DIR: PROGRAMS, LOG_LEVEL: "warn" };
    const start = () => {
      const child = spawn(process.execPath, ["--import", "tsx", WORKER], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
      children.push(child);
      return child;
    };
    // The first one migrates the fresh database; the other two join once it is up.
    start();
    client = await startClusterNode({ redisUrl: TEST_REDIS_URL, prefix: `${prefix}:agents`, systems: [pool], host: false, lead: false });
    await waitUntil(() => client!.status("pool"), (s) => s.nodes.length >= 1, "the first worker to join", 120_000, 200);
    start();
    start();
    const balanced = await waitUntil(
      () => client!.status("pool"),
      (s) => {
        const running = Object.values(s.running);
        const per = new Map<string, number>();
        for (const r of running) per.set(r.node, (per.get(r.node) ?? 0) + 1);
        return running.length === 12 && per.size === 3 && [...per.values()].every((n) => n === 4);
      },
      "12 agents running, 4 on each worker",
      180_000,
      200,
    );
    const nodes = [...new Set(Object.values(balanced.running).map((r) => r.node))];
    expect(nodes).toHaveLength(3);

    // 500 tasks, 40 in flight; at 150 done, SIGKILL the worker holding the leader's lease.
    const results: Array<{ task: number; agent: string; pid: number }> = [];
    let next = 0;
    let killedAt = 0;
    let victim = "";
    const load = Promise.all(
      Array.from({ length: 40 }, async () => {
        while (next < 500) {
          const task = next++;
          results.push(await client!.call<{ task: number; agent: string; pid: number }>("pool", task, { timeoutMs: 120_000 }));
        }
      }),
    );
    await waitUntil(async () => results.length, (n) => n >= 150, "150 tasks done", 120_000, 10);
    victim = (await client.status("pool")).leader ?? nodes[0]!;
    const victimPid = Number(victim.split(":")[1]);
    const lostAgents = Object.entries((await client.status("pool")).running).filter(([, r]) => r.node === victim).map(([id]) => id);
    expect(lostAgents).toHaveLength(4);
    const child = children.find((c) => c.pid === victimPid)!;
    expect(child).toBeDefined();
    killedAt = Date.now();
    child.kill("SIGKILL");
    const back = await waitUntil(
      () => client!.status("pool"),
      (s) => lostAgents.every((id) => s.running[id] !== undefined && s.running[id].node !== victim),
      "the killed worker's agents running on the others",
      30_000,
      50,
    );
    const backMs = Date.now() - killedAt;
    await load;

    // Exactly once: 500 results, one per task, and no reply arrived that nobody waited for.
    expect(results).toHaveLength(500);
    expect(new Set(results.map((r) => r.task)).size).toBe(500);
    expect(client.stats().replies).toMatchObject({ received: 500, unmatched: 0 });
    const byPid = new Map<number, number>();
    for (const r of results) byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
    expect(byPid.size).toBe(3);
    expect(backMs).toBeLessThan(10_000);
    expect(Object.values(back.running).every((r) => r.node !== victim)).toBe(true);
    const status = await client.status("pool");
    expect(status.nodes).not.toContain(victim);
    expect(lostAgents.every((id) => status.restarts[id] === 1)).toBe(true);
    console.info(`agents back ${backMs} ms after SIGKILL; tasks per worker pid: ${JSON.stringify(Object.fromEntries(byPid))}`);

    // The workers' runtimes recorded the agents' states in PostgreSQL, under the system's name.
    const conn = new pg.Client({ connectionString: db.config.url! });
    await conn.connect();
    try {
      const rows = await waitUntil(async () => (await conn.query<{ id: string }>(`SELECT id FROM "Agent" WHERE "systemId" = 'pool' ORDER BY id`)).rows, (r) => r.length === 12, "12 agent rows", 30_000, 200);
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `pool:worker-${i}`).sort());
    } finally {
      await conn.end();
    }
  }, 420_000);
});
