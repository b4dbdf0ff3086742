import { describe, expect, test } from "vitest";
import { FakeClock } from "../clock";
import { createRateLimiter, ResourceOptionError } from ".";

// Windows of a minute: the in-memory counters expire in real time (1.2 windows), far beyond a test.
const WINDOW = 60_000;
const SLICE = WINDOW / 10;

describe("createRateLimiter (API keys: answers at once)", () => {
  test("allows up to the limit, then refuses with the wait until capacity frees", async () => {
    const clock = new FakeClock({ start: 100 * WINDOW });
    const limiter = createRateLimiter({ points: 3, windowMs: WINDOW, clock });
    for (let i = 0; i < 3; i++) expect(await limiter.check("key-a")).toEqual({ allowed: true, retryAfterMs: 0, limit: 3, windowMs: WINDOW });
    const refused = await limiter.check("key-a");
    expect(refused.allowed).toBe(false);
    // The three were counted in the slice starting now; it stops counting 11 slices later.
    expect(refused.retryAfterMs).toBe(11 * SLICE);
    expect(await limiter.used("key-a")).toBe(3);
    // Keys are independent.
    expect((await limiter.check("key-b")).allowed).toBe(true);
    await clock.advance(11 * SLICE - 1);
    expect((await limiter.check("key-a")).allowed).toBe(false);
    await clock.advance(1);
    expect((await limiter.check("key-a")).allowed).toBe(true);
  });

  test("sliding, not fixed: a burst at the end of one minute does not get a second burst at the start of the next", async () => {
    const clock = new FakeClock({ start: 200 * WINDOW + WINDOW - 100 });
    const limiter = createRateLimiter({ points: 5, windowMs: WINDOW, clock });
    for (let i = 0; i < 5; i++) expect((await limiter.check("k")).allowed).toBe(true);
    await clock.advance(200); // a fixed-window limiter would start over here
    const next = await limiter.check("k");
    expect(next.allowed).toBe(false);
    expect(next.retryAfterMs).toBeGreaterThan(WINDOW - 200 - SLICE);
  });

  test("capacity returns slice by slice as old slices leave the window", async () => {
    const clock = new FakeClock({ start: 300 * WINDOW });
    const limiter = createRateLimiter({ points: 4, windowMs: WINDOW, clock });
    await limiter.check("k", 2);
    await clock.advance(3 * SLICE);
    await limiter.check("k", 2);
    const refused = await limiter.check("k");
    // Freeing one unit needs the first slice (2 units) to leave: 11 slices after the start, 8 from now.
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 8 * SLICE });
    await clock.advance(8 * SLICE);
    expect((await limiter.check("k", 2)).allowed).toBe(true);
    expect((await limiter.check("k")).allowed).toBe(false);
  });

  test("a refused check takes nothing", async () => {
    const clock = new FakeClock({ start: 400 * WINDOW });
    const limiter = createRateLimiter({ points: 2, windowMs: WINDOW, clock });
    await limiter.check("k", 2);
    for (let i = 0; i < 5; i++) await limiter.check("k");
    expect(await limiter.used("k")).toBe(2);
  });

  test("bad options and costs fail with errors naming the option, the value and the fix", async () => {
    expect(() => createRateLimiter({ points: 0 })).toThrow('createRateLimiter: option "points" must be a whole number of units per window > 0, e.g. 60 (got 0)');
    expect(() => createRateLimiter({ points: 5, windowMs: 1.5 })).toThrow('option "windowMs" must be a whole number of milliseconds > 0, e.g. 60000 (got 1.5)');
    expect(() => createRateLimiter({ points: 5, buckets: 100 })).toThrow('option "buckets" must be at most 60 slices per window (got 100)');
    expect(() => createRateLimiter({ points: 5, redis: {} as never })).toThrow('option "redis" must be an ioredis client');
    expect(() => createRateLimiter({ points: 5, window: 10 } as never)).toThrow(/option "window" is not an option; options: points, windowMs/);
    const limiter = createRateLimiter({ points: 5 });
    await expect(limiter.check("k", 6)).rejects.toThrow(ResourceOptionError);
    await expect(limiter.check("k", 6)).rejects.toThrow('RateLimiter.check: option "cost" must be a whole number of units from 1 to the limit (5 per window) (got 6)');
  });
});
