import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer } from "../testing";
import type { OpenAIServer } from "../testing";
import { cacheKey, composeLM, createOpenAILM, withCache } from ".";
import type { CacheStore, LMRequest, LMResponse, LMStreamEvent } from ".";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.respondWith((r) => ({ text: `answer ${r.index}`, usage: { promptTokens: 10, completionTokens: 3 } }));
});

const base = () => createOpenAILM({ apiKey: "k", baseURL: server.baseURL, model: "gpt-4o-mini", maxRetries: 0 });
const ask = (extra: Partial<LMRequest> = {}): LMRequest => ({ messages: [{ role: "user", content: "q" }], temperature: 0, ...extra });

class MapStore implements CacheStore {
  readonly map = new Map<string, LMResponse>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(key: string, response: LMResponse) {
    this.map.set(key, response);
  }
}

describe("withCache", () => {
  test("a repeat is a hit: no upstream call, cacheHit, cost 0, no retries, its own latency", async () => {
    const cache = withCache();
    const lm = composeLM(base(), cache);
    const miss = await lm.complete(ask());
    const hit = await lm.complete(ask());
    expect(server.requestCount).toBe(1);
    expect(miss.cacheHit).toBe(false);
    expect(hit).toMatchObject({ text: miss.text, usage: miss.usage, cacheHit: true, costUsd: 0, retries: 0 });
    expect(hit.latencyMs).toBeLessThan(miss.latencyMs);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  test("the key covers every field, ignores key order, and fills in the default model", () => {
    const a = cacheKey("openai", { messages: [{ role: "user", content: "q" }], temperature: 0 }, "m");
    const reordered = cacheKey("openai", { temperature: 0, messages: [{ content: "q", role: "user" }] } as LMRequest, "m");
    expect(reordered).toBe(a);
    expect(cacheKey("openai", { messages: [{ role: "user", content: "q" }], temperature: 0, model: "m" }, undefined)).toBe(a);
    expect(cacheKey("openai", { messages: [{ role: "user", content: "q" }], temperature: 0 }, "other")).not.toBe(a);
    expect(cacheKey("openai", { messages: [{ role: "user", content: "q" }], temperature: 0.1 }, "m")).not.toBe(a);
    expect(cacheKey("groq", { messages: [{ role: "user", content: "q" }], temperature: 0 }, "m")).not.toBe(a);
  });

  test("another rollout id is a fresh sample", async () => {
    const lm = composeLM(base(), withCache());
    const one = await lm.complete(ask({ rolloutId: "r1" }));
    const two = await lm.complete(ask({ rolloutId: "r2" }));
    const again = await lm.complete(ask({ rolloutId: "r1" }));
    expect(server.requestCount).toBe(2);
    expect(two.text).not.toBe(one.text);
    expect(again.text).toBe(one.text);
    expect(server.requests.every((r) => !("rolloutId" in r.body))).toBe(true);
  });

  test("identical concurrent requests share one upstream call", async () => {
    server.respondWith(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { text: `answer ${r.index}` };
    });
    const cache = withCache();
    const lm = composeLM(base(), cache);
    const replies = await Promise.all(Array.from({ length: 5 }, () => lm.complete(ask())));
    expect(server.requestCount).toBe(1);
    expect(new Set(replies.map((r) => r.text))).toEqual(new Set(["answer 0"]));
    expect(replies.filter((r) => !r.cacheHit)).toHaveLength(1);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 1, shared: 4 });
  });

  test("errors are never cached", async () => {
    server.respondWith((r) => (r.index === 0 ? { type: "error", status: 400, message: "bad" } : { text: "good" }));
    const lm = composeLM(base(), withCache());
    await expect(lm.complete(ask())).rejects.toMatchObject({ code: "LM_ERROR" });
    expect((await lm.complete(ask())).text).toBe("good");
    expect(server.requestCount).toBe(2);
  });

  test("a persistent store answers after a memory miss and receives every fresh response", async () => {
    const store = new MapStore();
    const first = composeLM(base(), withCache({ store }));
    const fresh = await first.complete(ask());
    expect(store.map.size).toBe(1);
    // another process: empty memory, same store
    const cache = withCache({ store, maxEntries: 10 });
    const second = composeLM(base(), cache);
    const hit = await second.complete(ask());
    expect(server.requestCount).toBe(1);
    expect(hit).toMatchObject({ text: fresh.text, cacheHit: true, costUsd: 0 });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 0, storeHits: 1 });
  });

  test("a failing store never fails the call; the failure is reported", async () => {
    const failures: string[] = [];
    const store: CacheStore = {
      get: () => Promise.reject(new Error("db down")),
      set: () => Promise.reject(new Error("db down")),
    };
    const lm = composeLM(base(), withCache({ store, onStoreError: (_e, op) => failures.push(op) }));
    expect((await lm.complete(ask())).text).toBe("answer 0");
    expect(failures).toEqual(["get", "set"]);
  });

  test("the memory level is bounded by entry count (least recently used goes first)", async () => {
    const cache = withCache({ maxEntries: 2 });
    const lm = composeLM(base(), cache);
    for (const q of ["a", "b", "c"]) await lm.complete(ask({ messages: [{ role: "user", content: q }] }));
    expect(cache.stats().size).toBe(2);
    await lm.complete(ask({ messages: [{ role: "user", content: "a" }] }));
    expect(server.requestCount).toBe(4);
  });

  test("streaming: a miss passes through and is stored; a hit replays as one text event and done", async () => {
    server.respondWith(() => ({ text: "one two three" }));
    const lm = composeLM(base(), withCache());
    const run = async () => {
      const events: LMStreamEvent[] = [];
      for await (const e of lm.stream!(ask())) events.push(e);
      return events;
    };
    const miss = await run();
    expect(miss.filter((e) => e.type === "text")).toHaveLength(3);
    const hit = await run();
    expect(server.requestCount).toBe(1);
    expect(hit).toHaveLength(2);
    expect(hit[0]).toEqual({ type: "text", delta: "one two three" });
    expect(hit[1]).toMatchObject({ type: "done", response: { cacheHit: true, costUsd: 0, text: "one two three" } });
    // and complete() sees the streamed response too
    expect((await lm.complete(ask())).cacheHit).toBe(true);
  });

  test("maxEntries must be a whole number >= 1", () => {
    expect(() => withCache({ maxEntries: 0 })).toThrow(/maxEntries is 0/);
  });
});
