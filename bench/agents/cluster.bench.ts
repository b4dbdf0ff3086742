// Agents across processes (the agents suite's cluster rows): two child processes run cluster
// nodes on the local Redis hosting 4 echo agents and 2 relays; this process sends as a client
// node. Measured: messages/s (a message and its reply each) with 200 in flight, the latency one
// hop adds across processes (an ask round trip minus a direct call) next to the same ask
// in-process, and an agent-to-agent round trip (client -> relay -> echo). The child processes
// run the cluster node only (no database or HTTP server): the rows measure the messaging path.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import path from "node:path";
import { Redis } from "ioredis";
import { createDirectory, groupSkills, startAgent, startClusterNode, type ClusterNode } from "../../lib/runtime/agents";
import { startSupervisor } from "../../lib/runtime/supervisor";
import type { Row } from "../lib/report";
import { quantile } from "../lib/stats";
import { benchSystem } from "./bench-system";

const REDIS_URL = process.env.DSPEX_TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const now = () => performance.now();
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const us = (xs: number[], q: number) => quantile(sorted(xs), q) * 1000;

function child(prefix: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "cluster-node-child.ts"), REDIS_URL, prefix], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on("line", (line) => line.startsWith("READY") && resolve(proc));
    proc.once("exit", (code) => reject(new Error(`bench cluster node exited with ${code}`)));
  });
}

async function waitRunning(client: ClusterNode, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const s = await client.status("bench");
    if (Object.keys(s.running).length === n && new Set(Object.values(s.running).map((r) => r.node)).size === 2) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the bench agents did not start on both processes");
}

async function inProcessAskUs(): Promise<number[]> {
  const sup = await startSupervisor({ flags: { intensity: 10 } });
  const directory = createDirectory();
  await startAgent({ name: "echo", supervisor: sup, directory, skills: groupSkills(benchSystem, "echo").skills });
  const times: number[] = [];
  for (let i = 0; i < 3_000; i++) {
    const t = now();
    await directory.ask({ capability: "echo" }, { type: "echo", payload: i });
    times.push(now() - t);
  }
  await sup.stop();
  return times.slice(500);
}

export async function clusterRows(): Promise<Row[]> {
  const prefix = `dspex-bench-agents-${randomBytes(4).toString("hex")}`;
  const children = await Promise.all([child(prefix), child(prefix)]);
  const client = await startClusterNode({ redisUrl: REDIS_URL, prefix, systems: [benchSystem], host: false, lead: false });
  try {
    await waitRunning(client, 6);
    // Warm-up.
    await Promise.all(Array.from({ length: 500 }, (_, i) => client.call("bench", i, { timeoutMs: 30_000 })));

    const rates: number[] = [];
    for (let round = 0; round < 3; round++) {
      const total = 10_000;
      let next = 0;
      const t0 = now();
      await Promise.all(
        Array.from({ length: 200 }, async () => {
          while (next < total) {
            next++;
            await client.call("bench", next, { timeoutMs: 60_000 });
          }
        }),
      );
      rates.push(total / ((now() - t0) / 1000));
    }

    const hop: number[] = [];
    const relay: number[] = [];
    const direct: number[] = [];
    const directory = client.directory("bench");
    for (let i = 0; i < 2_000; i++) {
      let t = now();
      await client.call("bench", i, { timeoutMs: 30_000 });
      hop.push(now() - t);
      t = now();
      await directory.ask({ capability: "relay" }, { type: "relay", payload: i }, { timeoutMs: 30_000 });
      relay.push(now() - t);
      t = now();
      await Promise.resolve(((n: number) => n)(i));
      direct.push(now() - t);
    }
    const local = await inProcessAskUs();
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    return [
      { measure: "across processes: throughput (2 processes, 4 echo agents)", value: Math.round(mean), unit: "messages/s", detail: `3 rounds of 10,000 asks, 200 in flight: ${rates.map((r) => Math.round(r)).join(" / ")} (each a message and its reply over Redis streams)` },
      { measure: "across processes: added latency per hop (p50)", value: us(hop, 0.5) - us(direct, 0.5), unit: "µs", detail: `ask round trip p50 ${us(hop, 0.5).toFixed(0)} µs vs in-process ask p50 ${us(local, 0.5).toFixed(1)} µs` },
      { measure: "across processes: added latency per hop (p99)", value: us(hop, 0.99) - us(direct, 0.99), unit: "µs", detail: `in-process ask p99 ${us(local, 0.99).toFixed(1)} µs` },
      { measure: "across processes: agent to agent (client -> relay -> echo, p50)", value: us(relay, 0.5), unit: "µs", detail: `p99 ${us(relay, 0.99).toFixed(0)} µs; two hops, the relay's on another or the same process` },
    ];
  } finally {
    await client.stop();
    await Promise.all(children.map((c) => new Promise<void>((resolve) => (c.once("exit", () => resolve()), c.kill("SIGTERM")))));
    const redis = new Redis(REDIS_URL);
    let cursor = "0";
    do {
      const [nextCursor, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = nextCursor;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    redis.disconnect();
  }
}
