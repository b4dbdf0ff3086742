// Limits shared through Redis (127.0.0.1:6379, or DSPEX_TEST_REDIS_URL): two limiter instances,
// as two processes would have, count against one limit. Each test uses its own key prefix and
// deletes its keys afterwards.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { createRateLimiter, withRateLimit } from ".";
import { ask, clientFor, maxInAnyWindow } from "./testing";

const REDIS_URL = process.env.DSPEX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `dspex-test:${randomBytes(6).toString("hex")}`;
let redisA: Redis;
let redisB: Redis;
let server: OpenAIServer;

beforeAll(async () => {
  redisA = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redisB = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await Promise.all([redisA.connect(), redisB.connect()]);
  server = await startOpenAIServer();
});
afterAll(async () => {
  let cursor = "0";
  do {
    const [next, keys] = await redisA.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redisA.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redisA.disconnect();
  redisB.disconnect();
  await server.close();
});
beforeEach(() => server.reset());

describe("rate limits shared through Redis", () => {
  test("two LM limiters on two connections hold one limit together at the server; no call is lost", async () => {
    const options = { windowMs: 1_000, marginMs: 300, keyPrefix: `${prefix}:lm`, limits: [{ provider: "openai", requestsPerMinute: 4 }] };
    const one = withRateLimit({ ...options, redis: redisA })(clientFor(server));
    const two = withRateLimit({ ...options, redis: redisB })(clientFor(server));
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? one : two).complete(ask(`shared ${i}`))));
    expect(server.requestCount).toBe(16);
    expect(maxInAnyWindow(server.requests.map((r) => ({ at: r.receivedAt, weight: 1 })), 1_000)).toBeLessThanOrEqual(4);
  });

  test("two API-key limiters share the count of a key", async () => {
    const a = createRateLimiter({ points: 5, windowMs: 60_000, redis: redisA, keyPrefix: `${prefix}:keys` });
    const b = createRateLimiter({ points: 5, windowMs: 60_000, redis: redisB, keyPrefix: `${prefix}:keys` });
    for (let i = 0; i < 3; i++) expect((await a.check("key-1")).allowed).toBe(true);
    expect((await b.check("key-1")).allowed).toBe(true);
    expect((await b.check("key-1")).allowed).toBe(true);
    const refused = await a.check("key-1");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(await b.used("key-1")).toBe(5);
    expect((await b.check("key-2")).allowed).toBe(true);
  });

  test("concurrent checks from both never allow more than the limit", async () => {
    const a = createRateLimiter({ points: 10, windowMs: 60_000, redis: redisA, keyPrefix: `${prefix}:race` });
    const b = createRateLimiter({ points: 10, windowMs: 60_000, redis: redisB, keyPrefix: `${prefix}:race` });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).check("hot")));
    expect(results.filter((r) => r.allowed).length).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.allowed).length).toBeGreaterThanOrEqual(8);
    expect(await a.used("hot")).toBeLessThanOrEqual(10);
  });
});
