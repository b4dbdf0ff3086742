// npm run bench -- startup: how long the production server takes from its process start to
// /api/v1/ready, and the memory it holds (peak while starting, and idle after start), run
// compiled (dist/server.js, what `npm start` runs) beside the same sources under tsx (how
// `npm start` ran before the server was compiled). Each variant starts 3 times, interleaved, on
// one embedded data directory that a first, unmeasured start has created and migrated; and
// `npm start` itself is timed from the command (npm, the pre-start check, the server) to ready.
import { spawn } from "node:child_process";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { report, type Row } from "./lib/report";
import { ensureBuilt, freePort, ROOT, SERVER_ARGS, stopServer, waitReady, type ServerProcess } from "./lib/server-process";
import { median } from "./lib/stats";

const STARTS = 3;
const IDLE_MS = 10_000;
const MiB = 2 ** 20;

type Variant = { name: string; command: string; args: string[] };

const VARIANTS: Variant[] = [
  { name: "sources under tsx (before)", command: process.execPath, args: SERVER_ARGS.sources },
  { name: "compiled (what npm start runs)", command: process.execPath, args: SERVER_ARGS.compiled },
  { name: "compiled, with --enable-source-maps", command: process.execPath, args: ["--enable-source-maps", ...SERVER_ARGS.compiled] },
  { name: "npm start (npm + pre-start check + compiled server)", command: "npm", args: ["start", "--silent"] },
];

/** Resident and peak resident memory of a process and its descendants, in bytes, from /proc. */
async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  let rss = 0;
  let hwm = 0;
  for (const p of [pid, ...(await descendants(pid))]) {
    const status = await readFile(`/proc/${p}/status`, "utf8").catch(() => "");
    rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    hwm += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  }
  return { rss, hwm };
}

async function descendants(pid: number): Promise<number[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")).split(/\s+/).filter(Boolean).map(Number);
  const deeper = await Promise.all(children.map(descendants));
  return [...children, ...deeper.flat()];
}

async function startOnce(variant: Variant, dataDir: string): Promise<{ readyMs: number; peakRss: number; idleRss: number }> {
  const port = await freePort();
  const child = spawn(variant.command, variant.args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(port), DSPEX_DATA_DIR: dataDir, DSPEX_DEMO_LATENCY_MS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const server: ServerProcess = { child, exited: new Promise((resolve) => child.once("exit", () => resolve())), output: () => out };
  let peakRss = 0;
  const sampler = setInterval(() => void memoryOf(child.pid!).then((m) => (peakRss = Math.max(peakRss, m.hwm))), 100);
  try {
    const readyMs = await waitReady(`http://127.0.0.1:${port}`, server);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = await memoryOf(child.pid!);
    peakRss = Math.max(peakRss, idle.hwm);
    return { readyMs, peakRss, idleRss: idle.rss };
  } finally {
    clearInterval(sampler);
    // npm start runs the server in a child of npm: stop the whole group.
    process.kill(-child.pid!, "SIGTERM");
    await stopServer(server);
  }
}

export async function run(): Promise<void> {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), "dspex-startup-bench-"));
  try {
    await startOnce(VARIANTS[1]!, dataDir); // creates and migrates the database: not measured
    const results = new Map<string, Array<Awaited<ReturnType<typeof startOnce>>>>();
    for (let i = 0; i < STARTS; i++) {
      for (const variant of VARIANTS) {
        const list = results.get(variant.name) ?? [];
        list.push(await startOnce(variant, dataDir));
        results.set(variant.name, list);
      }
    }
    const rows: Row[] = VARIANTS.map((v) => {
      const runs = results.get(v.name)!;
      const ms = runs.map((r) => r.readyMs);
      return {
        variant: v.name,
        "start to ready ms (median)": Math.round(median(ms)),
        "min-max": `${Math.round(Math.min(...ms))}-${Math.round(Math.max(...ms))}`,
        "peak rss MiB": Math.round(median(runs.map((r) => r.peakRss)) / MiB),
        "idle rss MiB (10 s after ready)": Math.round(median(runs.map((r) => r.idleRss)) / MiB),
      };
    });
    await report("startup", rows, { starts: STARTS, idleMs: IDLE_MS, database: "embedded (PGlite), created by an unmeasured first start", memory: "VmRSS and VmHWM of the process and its descendants (npm start: npm, sh and node), medians" });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
