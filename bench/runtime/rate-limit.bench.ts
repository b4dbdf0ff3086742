// npm run bench -- runtime
//   Rate-limit accuracy as the provider sees it: a local LM server records every request's arrival
//   and the tokens it reports; the real OpenAI client sends through withRateLimit under 5x overload
//   (five times the limit offered at a steady pace over one window, all waiting in line).
//   Time is scaled down: the limits are per 10 s window instead of per minute.
//   Goal: never above the limit in ANY 10 s interval at the server, and no request lost.
//   Scenarios run side by side (one server each): requests (memory store), tokens (memory store,
//   reservations reconciled with real usage), requests shared through Redis by two limiters (when
//   Redis answers), and for comparison a fixed-window FIFO queue (rate-limiter-flexible's
//   RateLimiterQueue), which is what a per-minute counter gives.
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible";
import { createOpenAILM, createRng, type LM } from "../../lib/dspex";
import { startOpenAIServer, type OpenAIServer } from "../../lib/dspex/testing";
import { estimateRequestTokens, withRateLimit } from "../../lib/runtime/resources";
// (the file itself: the testing index also holds vitest suites)
import { maxInAnyWindow, perFixedWindow, type Arrival } from "../../lib/runtime/resources/testing/window-stats";
import { report, type Row } from "../lib/report";
import { quantile } from "../lib/stats";

const WINDOW_MS = 10_000;
const OVERLOAD = 5;
const REQUESTS_PER_WINDOW = 20;
const TOKENS_PER_WINDOW = 3_000;
const MAX_TOKENS = 200;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

interface Outcome {
  readonly name: string;
  readonly unit: "requests" | "tokens";
  readonly limit: number;
  readonly offered: number;
  readonly completed: number;
  readonly arrivals: readonly Arrival[];
  readonly waitsMs: readonly number[];
  readonly elapsedMs: number;
}

function client(server: OpenAIServer, provider: string): LM {
  return createOpenAILM({ apiKey: "bench", baseURL: server.baseURL, model: "bench-model", providerName: provider, maxRetries: 0 });
}

/** Offers `n` calls at a steady pace over one window; returns each call's wait (submit to reply) and the failures. */
async function offer(n: number, call: (i: number) => Promise<unknown>): Promise<{ waitsMs: number[]; completed: number; elapsedMs: number }> {
  const started = performance.now();
  const waitsMs: number[] = [];
  let completed = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * WINDOW_MS) / n));
      const submitted = performance.now();
      try {
        await call(i);
        completed++;
        waitsMs.push(performance.now() - submitted);
      } catch (error) {
        console.error(`  call ${i} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return { waitsMs, completed, elapsedMs: performance.now() - started };
}

const requestArrivals = (server: OpenAIServer): Arrival[] => server.requests.map((r) => ({ at: r.receivedAt, weight: 1 }));

async function requestsScenario(): Promise<Outcome> {
  const server = await startOpenAIServer();
  try {
    const lm = withRateLimit({ windowMs: WINDOW_MS, maxWaitMs: 600_000, limits: [{ provider: "bench-req", requestsPerMinute: REQUESTS_PER_WINDOW }] })(client(server, "bench-req"));
    const offered = REQUESTS_PER_WINDOW * OVERLOAD;
    const run = await offer(offered, (i) => lm.complete({ messages: [{ role: "user", content: `request ${i}` }] }));
    return { name: "requests, memory store", unit: "requests", limit: REQUESTS_PER_WINDOW, offered, ...run, arrivals: requestArrivals(server) };
  } finally {
    await server.close();
  }
}

async function tokensScenario(): Promise<Outcome> {
  const rng = createRng(7);
  const request = (i: number) => ({ messages: [{ role: "user" as const, content: `tokens ${i % 10}` }], maxTokens: MAX_TOKENS });
  const { inputTokens } = await estimateRequestTokens(request(0));
  // Replies use 20..200 output tokens: each call reserves prompt + 200 and gives the rest back.
  const completions = new Map<number, number>();
  const server = await startOpenAIServer({
    respond: (r) => {
      const completion = 20 + Math.floor(rng.next() * 181);
      completions.set(r.index, inputTokens + completion);
      return { text: "ok", usage: { promptTokens: inputTokens, completionTokens: completion } };
    },
  });
  try {
    const lm = withRateLimit({ windowMs: WINDOW_MS, maxWaitMs: 600_000, limits: [{ provider: "bench-tok", tokensPerMinute: TOKENS_PER_WINDOW }] })(client(server, "bench-tok"));
    const meanTokens = inputTokens + 110;
    const offered = Math.round((TOKENS_PER_WINDOW * OVERLOAD) / meanTokens);
    const run = await offer(offered, (i) => lm.complete(request(i)));
    const arrivals = server.requests.map((r) => ({ at: r.receivedAt, weight: completions.get(r.index) ?? 0 }));
    return { name: "tokens, memory store (reconciled)", unit: "tokens", limit: TOKENS_PER_WINDOW, offered, ...run, arrivals };
  } finally {
    await server.close();
  }
}

async function redisScenario(): Promise<Outcome | string> {
  const connections = [0, 1].map(() => new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1_000 }));
  try {
    await Promise.all(connections.map((c) => c.connect()));
  } catch (error) {
    connections.forEach((c) => c.disconnect());
    return `skipped: Redis at ${REDIS_URL} did not answer (${error instanceof Error ? error.message : String(error)})`;
  }
  const keyPrefix = `dspex-bench:${Date.now()}`;
  const server = await startOpenAIServer();
  try {
    const limiters = connections.map((redis) =>
      withRateLimit({ windowMs: WINDOW_MS, maxWaitMs: 600_000, redis, keyPrefix, limits: [{ provider: "bench-redis", requestsPerMinute: REQUESTS_PER_WINDOW }] })(client(server, "bench-redis")),
    );
    const offered = REQUESTS_PER_WINDOW * OVERLOAD;
    const run = await offer(offered, (i) => limiters[i % 2]!.complete({ messages: [{ role: "user", content: `shared ${i}` }] }));
    return { name: "requests, Redis store, 2 limiters", unit: "requests", limit: REQUESTS_PER_WINDOW, offered, ...run, arrivals: requestArrivals(server) };
  } finally {
    await server.close();
    const keys = await connections[0]!.keys(`${keyPrefix}*`);
    if (keys.length > 0) await connections[0]!.del(...keys);
    connections.forEach((c) => c.disconnect());
  }
}

async function fixedWindowScenario(): Promise<Outcome> {
  const server = await startOpenAIServer();
  try {
    const queue = new RateLimiterQueue(new RateLimiterMemory({ points: REQUESTS_PER_WINDOW, duration: WINDOW_MS / 1000 }), { maxQueueSize: 10_000 });
    const lm = client(server, "bench-fixed");
    const offered = REQUESTS_PER_WINDOW * OVERLOAD;
    const run = await offer(offered, async (i) => {
      await queue.removeTokens(1);
      return lm.complete({ messages: [{ role: "user", content: `fixed ${i}` }] });
    });
    return { name: "for comparison: fixed window (RateLimiterQueue)", unit: "requests", limit: REQUESTS_PER_WINDOW, offered, ...run, arrivals: requestArrivals(server) };
  } finally {
    await server.close();
  }
}

/**
 * Throughput while calls were waiting: the mean of the count in [t, t + window) over every t from
 * the first arrival to one window before the last (sampled every 10 ms). A limiter that used its
 * whole limit all the time would score the limit itself.
 */
function meanWhileSaturated(arrivals: readonly Arrival[]): number {
  const sorted = [...arrivals].sort((a, b) => a.at - b.at);
  const first = sorted[0]?.at ?? 0;
  const last = sorted.at(-1)?.at ?? 0;
  if (last - first <= WINDOW_MS) return sorted.reduce((s, a) => s + a.weight, 0);
  let samples = 0;
  let sum = 0;
  for (let t = first; t <= last - WINDOW_MS; t += 10) {
    for (const a of sorted) if (a.at >= t && a.at < t + WINDOW_MS) sum += a.weight;
    samples++;
  }
  return sum / samples;
}

function row(o: Outcome): Row {
  const sliding = maxInAnyWindow(o.arrivals, WINDOW_MS);
  const fixed = perFixedWindow(o.arrivals, WINDOW_MS);
  const saturated = meanWhileSaturated(o.arrivals);
  const waits = [...o.waitsMs].sort((a, b) => a - b);
  return {
    scenario: o.name,
    unit: o.unit,
    "limit /10 s": o.limit,
    "offered (calls)": o.offered,
    "lost (calls)": o.offered - o.completed,
    "max in any 10 s": sliding,
    "max in a fixed 10 s": Math.max(...fixed),
    "over limit": sliding > o.limit ? "YES" : "no",
    "mean in 10 s, % of limit": Math.round((saturated / o.limit) * 100),
    "wait p50 s": quantile(waits, 0.5) / 1000,
    "wait p95 s": quantile(waits, 0.95) / 1000,
    "wait max s": (waits.at(-1) ?? 0) / 1000,
    "run s": o.elapsedMs / 1000,
  };
}

export async function run(): Promise<void> {
  console.log(`rate-limit accuracy: limits per ${WINDOW_MS / 1000} s window, ${OVERLOAD}x overload offered over the first window; about a minute...`);
  // Load the tokenizer first: its ~1 s of synchronous loading would otherwise stall the other
  // scenarios' sends after their calls were admitted (jitter beyond the limiter's margin).
  await estimateRequestTokens({ messages: [{ role: "user", content: "warm up" }] });
  const [requests, tokens, redis, fixed] = await Promise.all([requestsScenario(), tokensScenario(), redisScenario(), fixedWindowScenario()]);
  const rows = [requests, tokens, ...(typeof redis === "string" ? [] : [redis]), fixed].map(row);
  if (typeof redis === "string") console.log(`(Redis scenario ${redis})`);
  await report("runtime-rate-limit", rows, {
    windowMs: WINDOW_MS,
    overload: OVERLOAD,
    note: "limits per 10 s window (a minute scaled down 6x); sliding-window limiter with 20 slices and a one-slice (500 ms) margin",
  });
}
