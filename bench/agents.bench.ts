// npm run bench -- agents
//   pipeline: messages/s through a 3-step agent pipeline (team + pipeline pattern, 3 supervised
//             agents, 200 pipelines in flight), and the latency each hop adds over a direct call
//             (one pipeline at a time vs the same three functions called in a row)
//   memory:   heap and RSS per idle agent with 1,000 and 10,000 agents under one supervisor
//             (deltas after gc; the bench runs with --expose-gc)
//   recovery: a pool of 50 agents under load (5,000 tasks, 200 in flight, ~1 ms of work each);
//             10% of the agents are killed at once mid-run: time until every killed agent is
//             running again and until the load has drained, and the tasks lost (goal 0)
//   across processes: messages/s and added latency per hop with agents on two child processes
//             over the local Redis (bench/agents/cluster.bench.ts)
import { startSupervisor } from "../lib/runtime/supervisor";
import { createTeam, defineSkill, pipeline, startAgent, type Agent, type Skill } from "../lib/runtime/agents";
import { clusterRows } from "./agents/cluster.bench";
import { report, type Row } from "./lib/report";
import { quantile } from "./lib/stats";

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const now = () => performance.now();

function stageSkill(name: string): Skill {
  return defineSkill({ name, handlers: { [name]: (n) => (n as number) + 1 } });
}

async function pipelineRows(): Promise<Row[]> {
  const sup = await startSupervisor({ path: "bench-pipeline", flags: { intensity: 100 } });
  const team = createTeam({ name: "pipe" });
  const stages = ["parse", "think", "format"];
  for (const s of stages) team.join(await startAgent({ name: s, id: s, supervisor: sup, skills: [stageSkill(s)], mailbox: { capacity: 10_000 } }));
  const spec = stages.map((capability) => ({ capability }));

  // Throughput: 20,000 pipelines, 200 in flight.
  const total = 20_000;
  let next = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < total) {
        next++;
        await pipeline(team, spec, 0);
      }
    }),
  );
  const seconds = (now() - t0) / 1000;

  // Added latency per hop: one pipeline at a time vs the same three handlers called directly.
  const direct = [(n: number) => n + 1, (n: number) => n + 1, (n: number) => n + 1];
  const viaAgents: number[] = [];
  const viaCalls: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    let t = now();
    await pipeline(team, spec, i);
    viaAgents.push(now() - t);
    t = now();
    let v = i;
    for (const f of direct) v = await Promise.resolve(f(v));
    viaCalls.push(now() - t);
  }
  await sup.stop();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const p50 = (xs: number[]) => quantile(sorted(xs), 0.5) * 1000;
  const p99 = (xs: number[]) => quantile(sorted(xs), 0.99) * 1000;
  return [
    { measure: "3-step pipeline throughput", value: Math.round((total * 3) / seconds), unit: "messages/s", detail: `${Math.round(total / seconds)} pipelines/s, 200 in flight` },
    { measure: "added latency per hop (p50)", value: (p50(viaAgents) - p50(viaCalls)) / 3, unit: "µs", detail: `pipeline p50 ${p50(viaAgents).toFixed(1)} µs vs direct ${p50(viaCalls).toFixed(2)} µs` },
    { measure: "added latency per hop (p99)", value: (p99(viaAgents) - p99(viaCalls)) / 3, unit: "µs", detail: `pipeline p99 ${p99(viaAgents).toFixed(1)} µs` },
  ];
}

async function memoryRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const skill = stageSkill("echo");
  for (const n of [1_000, 10_000]) {
    gc();
    gc();
    const before = process.memoryUsage();
    const sup = await startSupervisor({ path: `bench-memory-${n}`, flags: { intensity: 100 } });
    const agents: Agent[] = [];
    for (let i = 0; i < n; i++) agents.push(await startAgent({ name: "idle", id: `idle-${i}`, supervisor: sup, skills: [skill], publish: () => undefined }));
    gc();
    gc();
    const after = process.memoryUsage();
    rows.push({ measure: `memory per idle agent (${n.toLocaleString("en-US")} agents)`, value: (after.heapUsed - before.heapUsed) / n / 1024, unit: "KiB heap", detail: `rss ${((after.rss - before.rss) / n / 1024).toFixed(2)} KiB/agent; ${agents.length} agents idle` });
    await sup.stop();
    agents.length = 0;
  }
  return rows;
}

async function recoveryRows(): Promise<Row[]> {
  const poolSize = 50;
  const tasks = 5_000;
  const sup = await startSupervisor({ path: "bench-recovery", flags: { intensity: 1_000, periodMs: 60_000 } });
  const work = defineSkill({ name: "work", handlers: { work: async (n) => (await new Promise((r) => setTimeout(r, 1)), n) } });
  const team = createTeam({ name: "pool", maxAttempts: 5 });
  const pool: Agent[] = [];
  for (let i = 0; i < poolSize; i++) {
    const a = await startAgent({ name: "worker", id: `worker-${i}`, supervisor: sup, skills: [work] });
    pool.push(a);
    team.join(a);
  }
  const results = new Map<number, number>();
  let killedAt = 0;
  let recoveredAt = 0;
  let next = 0;
  const t0 = now();
  const load = Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < tasks) {
        const i = next++;
        const r = await team.dispatch<number>({ capability: "work", payload: i }).catch(() => undefined);
        if (r) results.set(r.output, (results.get(r.output) ?? 0) + 1);
      }
    }),
  );
  while (results.size < tasks / 4) await new Promise((r) => setTimeout(r, 1));
  const victims = pool.slice(0, poolSize / 10);
  const restartsBefore = victims.map((v) => v.stats().restarts);
  killedAt = now();
  for (const v of victims) v.kill();
  const watch = (async () => {
    while (!victims.every((v, i) => v.stats().restarts > restartsBefore[i]! && v.state !== "restarting")) await new Promise((r) => setImmediate(r));
    recoveredAt = now();
  })();
  await load;
  await watch;
  const drainedAt = now();
  await sup.stop();
  const lost = tasks - results.size;
  const twice = [...results.values()].filter((c) => c > 1).length;
  return [
    { measure: "recovery after killing 10% of a pool", value: recoveredAt - killedAt, unit: "ms", detail: `${victims.length} of ${poolSize} agents back running; ${team.stats().reassigned} tasks reassigned` },
    { measure: "load drained after the kill", value: drainedAt - killedAt, unit: "ms", detail: `${tasks} tasks in ${(drainedAt - t0).toFixed(0)} ms total` },
    { measure: "tasks lost (goal 0)", value: lost, unit: "tasks", detail: `done twice: ${twice}` },
  ];
}

export async function run(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) console.warn("agents bench: run with --expose-gc (npm run bench does) for exact memory figures");
  const rows = [...(await pipelineRows()), ...(await memoryRows()), ...(await recoveryRows()), ...(await clusterRows())];
  await report("agents", rows);
}
