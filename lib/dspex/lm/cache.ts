// withCache: answers a request seen before from memory (an LRU bounded by entry count) or from an
// optional persistent store, shares one upstream call among identical concurrent requests, and
// never caches an error. A hit costs nothing and reports its own latency.

import { LRUCache } from "lru-cache";
import { DspexError } from "../errors";
import { cacheKey } from "./cache-key";
import type { LM, LMCallOptions, LMMiddleware, LMRequest, LMResponse, LMStreamEvent } from "./types";

/** A persistent second level, consulted on a memory miss (e.g. a database table keyed by `key`). */
export interface CacheStore {
  get(key: string): Promise<LMResponse | undefined>;
  set(key: string, response: LMResponse): Promise<void>;
}

export interface CacheOptions {
  /** Responses kept in memory; default 1000. */
  readonly maxEntries?: number;
  readonly store?: CacheStore;
  /** A store failure never fails a call; it is reported here. */
  readonly onStoreError?: (error: unknown, operation: "get" | "set") => void;
  /** Monotonic clock in ms for a hit's latency; default performance.now. */
  readonly now?: () => number;
}

export interface CacheStats {
  /** Calls answered without an upstream call (memory, store, or a shared in-flight call). */
  readonly hits: number;
  /** Calls that went upstream. */
  readonly misses: number;
  readonly storeHits: number;
  /** Hits that waited for an identical call already in flight. */
  readonly shared: number;
  /** Entries in memory. */
  readonly size: number;
}

export interface CacheMiddleware extends LMMiddleware {
  stats(): CacheStats;
  /** Empties the memory level (the store is left alone). */
  clear(): void;
}

export function withCache(options: CacheOptions = {}): CacheMiddleware {
  const maxEntries = options.maxEntries ?? 1000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new DspexError("OPTION_INVALID", `withCache: maxEntries is ${maxEntries}; pass a whole number >= 1`);
  }
  const { store, onStoreError } = options;
  const now = options.now ?? (() => performance.now());
  const memory = new LRUCache<string, LMResponse>({ max: maxEntries });
  const inflight = new Map<string, Promise<LMResponse>>();
  let hits = 0;
  let misses = 0;
  let storeHits = 0;
  let shared = 0;

  const asHit = (stored: LMResponse, started: number): LMResponse => ({
    ...stored,
    cacheHit: true,
    costUsd: 0,
    retries: 0,
    latencyMs: now() - started,
  });

  async function fromStore(key: string): Promise<LMResponse | undefined> {
    if (store === undefined) return undefined;
    try {
      const found = await store.get(key);
      if (found !== undefined) memory.set(key, found);
      return found;
    } catch (error) {
      onStoreError?.(error, "get");
      return undefined;
    }
  }

  async function remember(key: string, response: LMResponse): Promise<void> {
    memory.set(key, response);
    if (store === undefined) return;
    try {
      await store.set(key, response);
    } catch (error) {
      onStoreError?.(error, "set");
    }
  }

  /** Store lookup, then upstream; resolves with the stored or fresh response (cacheHit as found). */
  async function load(inner: LM, key: string, request: LMRequest, callOptions?: LMCallOptions): Promise<{ response: LMResponse; fresh: boolean }> {
    const stored = await fromStore(key);
    if (stored !== undefined) {
      storeHits++;
      return { response: stored, fresh: false };
    }
    misses++;
    const response = await inner.complete(request, callOptions);
    await remember(key, response);
    return { response, fresh: true };
  }

  const middleware = ((inner: LM): LM => {
    async function complete(request: LMRequest, callOptions?: LMCallOptions): Promise<LMResponse> {
      const started = now();
      const key = cacheKey(inner.provider, request, inner.defaultModel);
      const remembered = memory.get(key);
      if (remembered !== undefined) {
        hits++;
        return asHit(remembered, started);
      }
      const pending = inflight.get(key);
      if (pending !== undefined) {
        const response = await pending;
        hits++;
        shared++;
        return asHit(response, started);
      }
      const loading = load(inner, key, request, callOptions);
      const settled = loading.then((r) => r.response);
      settled.catch(() => undefined);
      inflight.set(key, settled);
      try {
        const { response, fresh } = await loading;
        if (fresh) return response;
        hits++;
        return asHit(response, started);
      } finally {
        inflight.delete(key);
      }
    }

    async function* stream(request: LMRequest, callOptions?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
      const started = now();
      const key = cacheKey(inner.provider, request, inner.defaultModel);
      let found = memory.get(key);
      const pending = found === undefined ? inflight.get(key) : undefined;
      if (pending !== undefined) {
        found = await pending.catch(() => undefined);
        if (found !== undefined) shared++;
      }
      if (found === undefined) {
        found = await fromStore(key);
        if (found !== undefined) storeHits++;
      }
      if (found !== undefined) {
        hits++;
        const response = asHit(found, started);
        if (response.text !== "") yield { type: "text", delta: response.text };
        yield { type: "done", response };
        return;
      }
      misses++;
      if (inner.stream === undefined) {
        const response = await inner.complete(request, callOptions);
        await remember(key, response);
        if (response.text !== "") yield { type: "text", delta: response.text };
        yield { type: "done", response };
        return;
      }
      for await (const event of inner.stream(request, callOptions)) {
        if (event.type === "done") await remember(key, event.response);
        yield event;
      }
    }

    return { provider: inner.provider, defaultModel: inner.defaultModel, complete, stream };
  }) as CacheMiddleware;

  middleware.stats = () => ({ hits, misses, storeHits, shared, size: memory.size });
  middleware.clear = () => memory.clear();
  return middleware;
}
