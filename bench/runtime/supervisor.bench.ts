// npm run bench -- runtime   (the lead wires this file's run() into bench/run.ts)
//   restart: time from a child's crash to its replacement running (the supervisor's "running"
//            event), for 1,000 children under one one_for_one supervisor with room for every
//            restart: one crash at a time (pure latency) and all 1,000 at once (queueing)
//   memory:  heap per idle supervised child (10,000 children), beside the same idle tasks unsupervised
import { systemClock } from "../../lib/runtime/clock";
import { startSupervisor, task, type ChildSpecInput, type StartFn } from "../../lib/runtime/supervisor";
import { report, type Row } from "../lib/report";
import { quantile } from "../lib/stats";

const CHILDREN = 1_000;
const IDLE_CHILDREN = 10_000;

/** A child that idles until crashed through `crash(id)` or stopped through its signal. */
function crashable(id: string, crashers: Map<string, (error: Error) => void>): StartFn {
  return task(
    (signal) =>
      new Promise<void>((resolve, reject) => {
        crashers.set(id, reject);
        signal.addEventListener("abort", () => resolve(), { once: true });
      }),
  );
}

async function restartLatency(): Promise<Row[]> {
  const crashers = new Map<string, (error: Error) => void>();
  const running = new Map<string, () => void>();
  const ids = Array.from({ length: CHILDREN }, (_, i) => `worker-${i}`);
  const sup = await startSupervisor({
    clock: systemClock(),
    flags: { strategy: "one_for_one", intensity: 10 * CHILDREN, periodMs: 60_000 },
    children: ids.map((id): ChildSpecInput => ({ id, start: crashable(id, crashers) })),
    onEvent: (event) => {
      if (event.state === "running") running.get(event.child)?.();
    },
  });
  const rows: Row[] = [];
  const crashOne = (id: string) => {
    const replaced = new Promise<void>((resolve) => running.set(id, resolve));
    const t0 = process.hrtime.bigint();
    crashers.get(id)!(new Error("crash"));
    return replaced.then(() => Number(process.hrtime.bigint() - t0) / 1000);
  };

  // Warm-up, then one crash at a time.
  for (const id of ids.slice(0, 100)) await crashOne(id);
  const sequential: number[] = [];
  for (const id of ids) sequential.push(await crashOne(id));
  rows.push(latencyRow("one at a time", sequential));

  // Every child crashes in the same tick; each latency includes waiting for the ones before it.
  const t0 = performance.now();
  const burst = await Promise.all(ids.map(crashOne));
  const burstMs = performance.now() - t0;
  rows.push({ ...latencyRow("1,000 at once", burst), "restarts/s": Math.round(CHILDREN / (burstMs / 1000)) });

  const snap = sup.snapshot();
  if (snap.state !== "running" || snap.children.some((c) => c.state !== "running")) throw new Error("bench: supervisor did not keep every child running");
  await sup.stop();
  return rows;
}

function latencyRow(mode: string, micros: number[]): Row {
  const sorted = [...micros].sort((a, b) => a - b);
  return { mode, children: CHILDREN, "p50 µs": quantile(sorted, 0.5), "p99 µs": quantile(sorted, 0.99), "max µs": sorted.at(-1)! };
}

async function memoryPerChild(): Promise<Row[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = async () => {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed;
  };
  const idle = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  const ids = Array.from({ length: IDLE_CHILDREN }, (_, i) => `idle-${i}`);
  const clock = systemClock();

  // The same idle tasks, started by hand: what a child costs without a supervisor.
  let before = await heap();
  const bare = await Promise.all(ids.map((id) => task(idle)({ id, path: `bare/${id}`, clock, random: Math.random })));
  const bareBytes = (await heap()) - before;
  await Promise.all(bare.map((h) => h.stop("shutdown")));
  bare.length = 0;

  before = await heap();
  const sup = await startSupervisor({ clock, flags: { intensity: 0 }, children: ids.map((id) => ({ id, start: task(idle) })) });
  const supervisedBytes = (await heap()) - before;
  const snapshotStart = performance.now();
  const snap = sup.snapshot();
  const snapshotMs = performance.now() - snapshotStart;
  await sup.stop();
  if (snap.children.length !== IDLE_CHILDREN) throw new Error("bench: not every idle child started");

  return [
    { "": "idle task, unsupervised", children: IDLE_CHILDREN, "bytes/child": Math.round(bareBytes / IDLE_CHILDREN) },
    { "": "idle task, supervised", children: IDLE_CHILDREN, "bytes/child": Math.round(supervisedBytes / IDLE_CHILDREN), "snapshot() ms": snapshotMs },
    { "": "supervision overhead", children: IDLE_CHILDREN, "bytes/child": Math.round((supervisedBytes - bareBytes) / IDLE_CHILDREN) },
  ];
}

export async function run(): Promise<void> {
  await report("runtime-supervisor-restart", await restartLatency(), {
    strategy: "one_for_one",
    note: "crash = the child's task rejects; replaced = the supervisor's running event for the new incarnation; no backoff, no event listener work",
  });
  await report("runtime-supervisor-memory", await memoryPerChild(), { gc: typeof (globalThis as { gc?: unknown }).gc === "function" });
}
