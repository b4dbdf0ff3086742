// One memory measurement, in a process that holds nothing but DSPEx (run with --expose-gc):
// predictions with cache (bounded), cost meter and a trace per call, an LM that answers at once.
// After a warm-up that fills the cache and lets the JIT settle, it samples the heap and RSS after
// a forced full GC every SAMPLE_EVERY predictions across the steady-state window, and prints one
// JSON line: what a leak would show is the heap's slope across the window.
import { composeLM, createPriceTable, TraceRecorder, withCache, withCostMeter } from "../../lib/dspex";
import { instantLM } from "./instant-lm";
import { CACHE_ENTRIES, SAMPLE_EVERY, WARM_UP, WINDOW, type MemoryRun, type MemorySample } from "./memory-plan";
import { MARKER_REPLY } from "./replies";
import { dspexProgram, QUESTION } from "./task";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("memory-child needs node --expose-gc");

function fullGc(): void {
  // Twice: the first pass can leave objects that only its finalizers released.
  gc!();
  gc!();
}

async function main(): Promise<void> {
  const prices = createPriceTable();
  await prices.ready();
  const cache = withCache({ maxEntries: CACHE_ENTRIES });
  const lm = composeLM(instantLM(MARKER_REPLY), cache, withCostMeter({ prices }));
  const program = dspexProgram();
  const predict = (i: number) => program.run({ question: `${QUESTION} #${i}` }, { lm, tracer: new TraceRecorder() });

  let peakRss = 0;
  for (let i = 0; i < WARM_UP; i++) await predict(-1 - i);
  const samples: MemorySample[] = [];
  for (let done = 0; ; done += SAMPLE_EVERY) {
    fullGc();
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    samples.push({ predictions: done, heapUsed: m.heapUsed, rss: m.rss });
    if (done >= WINDOW) break;
    for (let i = 0; i < SAMPLE_EVERY; i++) await predict(done + i);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const run: MemoryRun = { samples, peakRss, cacheEntries: cache.stats().size };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

await main();
