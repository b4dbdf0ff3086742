// The memory figure, measured in fresh processes (so that what the bench itself loaded, Ax
// included, is not counted) and repeated, so that a rerun can be checked against it.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Row } from "../lib/report";
import { CACHE_ENTRIES, SAMPLE_EVERY, WARM_UP, WINDOW, type MemoryRun } from "./memory-plan";

const RUNS = 3;
const MiB = 2 ** 20;

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

async function measureOnce(): Promise<MemoryRun> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--import", "tsx", path.join(import.meta.dirname, "memory-child.ts")], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as MemoryRun;
}

export async function memory(): Promise<Row[]> {
  const rows: Row[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const run = await measureOnce();
    const first = run.samples[0]!;
    const last = run.samples[run.samples.length - 1]!;
    const mb = (b: number) => Number((b / MiB).toFixed(1));
    rows.push({
      process: r,
      "heap MiB at start/end": `${mb(first.heapUsed)} / ${mb(last.heapUsed)}`,
      "heap growth MiB": mb(last.heapUsed - first.heapUsed),
      "heap slope B/prediction": Math.round(slope(run.samples.map((s) => [s.predictions, s.heapUsed] as const))),
      "rss MiB at start/end": `${mb(first.rss)} / ${mb(last.rss)}`,
      "rss growth MiB": mb(last.rss - first.rss),
      "peak rss MiB": mb(run.peakRss),
      "cache entries": run.cacheEntries,
    });
  }
  return rows;
}

export const MEMORY_META = {
  processes: RUNS,
  warmUp: WARM_UP,
  window: WINDOW,
  sampleEvery: SAMPLE_EVERY,
  cacheEntries: CACHE_ENTRIES,
  what:
    "each process: DSPEx Predict with cache, cost meter and a trace per call on an LM answering at once; after a warm-up that fills the cache, heap used and RSS are sampled after a forced full GC every 10,000 predictions over a 100,000-prediction window; the slope is the least-squares fit of heap used over the window (a leak shows as a positive slope)",
};
