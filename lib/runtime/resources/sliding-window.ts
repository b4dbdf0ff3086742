// A sliding-window counter on rate-limiter-flexible's atomic counters (in memory, or in Redis so
// several processes share one limit).
//
// Time is cut into `buckets` slices per window, aligned on the epoch so every process agrees. A
// take of n at time t adds n to the current slice, then sums it with the slices before it that
// cover one window plus `marginMs`; if the sum passes the limit the n is given back and the caller
// learns when enough old slices will have left. So at most `limit` units are taken in ANY interval
// of (window + margin) length, not only in fixed windows (where a burst at the end of one and the
// start of the next would double the rate). The margin absorbs jitter between taking capacity and
// the request reaching the provider: the limit holds where the provider measures it as long as
// that jitter stays below the margin. The price: capacity returns up to one slice after window +
// margin, so a saturated limiter runs at about window / (window + margin + slice) of the limit.
//
// Add-then-check is safe across processes: of two concurrent takes, the later read sees the
// other's add, so the sum never passes the limit unseen (at worst both give back and retry).

import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { Clock } from "../clock";

export interface SlidingWindowOptions {
  /** Units allowed in any interval of `windowMs`. */
  readonly limit: number;
  readonly windowMs: number;
  /** Slices per window; more slices waste less capacity but read more counters per take. */
  readonly buckets: number;
  /** Extra time counted beyond the window (default 0). */
  readonly marginMs?: number;
  /** Namespace of the counters (a Redis key prefix). */
  readonly keyPrefix: string;
  /** Share the counters through Redis; in process memory when absent. */
  readonly redis?: Redis;
  readonly clock: Pick<Clock, "now">;
}

export type TakeResult = { readonly ok: true; readonly slot: Slot } | { readonly ok: false; readonly retryAfterMs: number };

/** Where a take was counted, to give back or add to later. */
export interface Slot {
  readonly key: string;
  readonly bucket: number;
}

export class SlidingWindowCounter {
  readonly limit: number;
  private readonly store: RateLimiterAbstract;
  private readonly sliceMs: number;
  /** Slices before the current one that are summed with it. */
  private readonly lookback: number;
  private readonly clock: Pick<Clock, "now">;

  constructor(options: SlidingWindowOptions) {
    this.limit = options.limit;
    this.sliceMs = options.windowMs / options.buckets;
    this.lookback = Math.ceil((options.windowMs + (options.marginMs ?? 0)) / this.sliceMs - 1e-9);
    this.clock = options.clock;
    // A slice is read until `lookback` slices after it: keep it a little longer, then let it expire.
    const ttlMs = this.sliceMs * (this.lookback + 2);
    const common = { points: Number.MAX_SAFE_INTEGER, keyPrefix: options.keyPrefix };
    this.store =
      options.redis !== undefined
        ? new RateLimiterRedis({ ...common, storeClient: options.redis, duration: Math.max(1, Math.ceil(ttlMs / 1000)) })
        : new RateLimiterMemory({ ...common, duration: ttlMs / 1000 });
  }

  /** Takes n units under `key` now, or says how long until they could fit. */
  async take(key: string, n: number): Promise<TakeResult> {
    const t = this.clock.now();
    const bucket = Math.floor(t / this.sliceMs);
    const current = await this.store.penalty(this.slice(key, bucket), n);
    const older = await this.counts(key, bucket);
    const total = older.reduce((a, b) => a + b, 0) + current.consumedPoints;
    if (total <= this.limit) return { ok: true, slot: { key, bucket } };
    await this.store.reward(this.slice(key, bucket), n);
    return { ok: false, retryAfterMs: this.waitFor(older, total - this.limit, bucket, t) };
  }

  /** Gives back units taken in a slot (a call that sent less than reserved). */
  async giveBack(slot: Slot, n: number): Promise<void> {
    if (n > 0) await this.store.reward(this.slice(slot.key, slot.bucket), n);
  }

  /** Adds units to a slot (a call that used more than reserved). */
  async add(slot: Slot, n: number): Promise<void> {
    if (n > 0) await this.store.penalty(this.slice(slot.key, slot.bucket), n);
  }

  /** Units counted in the current window under `key`. */
  async used(key: string): Promise<number> {
    const bucket = Math.floor(this.clock.now() / this.sliceMs);
    const [current] = await this.readSlices(key, [bucket]);
    const older = await this.counts(key, bucket);
    return older.reduce((a, b) => a + b, 0) + (current ?? 0);
  }

  private slice(key: string, bucket: number): string {
    return `${key}:${bucket}`;
  }

  /** Counts of the `lookback` slices before `bucket`, oldest first. */
  private counts(key: string, bucket: number): Promise<number[]> {
    const ids: number[] = [];
    for (let b = bucket - this.lookback; b < bucket; b++) ids.push(b);
    return this.readSlices(key, ids);
  }

  private async readSlices(key: string, ids: readonly number[]): Promise<number[]> {
    const results = await Promise.all(ids.map((b) => this.store.get(this.slice(key, b))));
    return results.map((r) => Math.max(0, r?.consumedPoints ?? 0));
  }

  /**
   * Slice `bucket - lookback + j` (older[j]) stops counting at the start of slice `bucket + j + 1`;
   * the current slice's earlier units stop counting at the start of slice `bucket + lookback + 1`.
   */
  private waitFor(older: readonly number[], excess: number, bucket: number, t: number): number {
    let freed = 0;
    for (let j = 0; j < older.length; j++) {
      freed += older[j]!;
      if (freed >= excess) return Math.max(1, Math.ceil((bucket + j + 1) * this.sliceMs - t));
    }
    return Math.max(1, Math.ceil((bucket + this.lookback + 1) * this.sliceMs - t));
  }
}
