// A first-in-first-out waiting line in front of some capacity. Only the head of the line tries to
// take capacity; when it cannot, the line sleeps until the capacity says it may fit (or until
// someone gives capacity back and wakes it). Every waiter has a bounded wait and may be aborted.
// Interactive waiters line up ahead of every background waiter (first in first out within each).

import type { Clock, TimerHandle } from "../clock";

export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly retryAfterMs: number };

export interface WaitPolicy<T> {
  /** Tries to take the capacity now. */
  readonly tryAcquire: () => Promise<Attempt<T>>;
  /** Gives back capacity taken for a waiter that gave up in the meantime. */
  readonly release: (value: T) => Promise<void>;
  readonly maxWaitMs: number;
  readonly signal?: AbortSignal;
  /** Default "interactive": ahead of every "background" waiter. */
  readonly priority?: "interactive" | "background";
  /** The error for a waiter that waited `maxWaitMs` (with the last wait the capacity predicted). */
  readonly timeoutError: (waitedMs: number, retryAfterMs: number | undefined) => Error;
  readonly abortError: () => Error;
  readonly queueFullError: () => Error;
}

interface Waiter<T> {
  readonly policy: WaitPolicy<T>;
  readonly enqueuedAt: number;
  settled: boolean;
  lastRetryAfterMs?: number;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export class FifoGate<T> {
  private readonly waiters: Waiter<T>[] = [];
  private timer: TimerHandle | undefined;
  private pumping = false;
  private again = false;

  constructor(
    private readonly clock: Clock,
    private readonly maxQueue: number,
  ) {}

  /** Callers waiting (including the head). */
  get size(): number {
    return this.waiters.filter((w) => !w.settled).length;
  }

  acquire(policy: WaitPolicy<T>): Promise<T> {
    if (policy.signal?.aborted) return Promise.reject(policy.abortError());
    if (this.size >= this.maxQueue) return Promise.reject(policy.queueFullError());
    return new Promise<T>((resolve, reject) => {
      const enqueuedAt = this.clock.now();
      const onAbort = () => this.giveUp(waiter, policy.abortError());
      const cleanup = () => {
        this.clock.clearTimeout(deadline);
        policy.signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter<T> = {
        policy,
        enqueuedAt,
        settled: false,
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const deadline: TimerHandle = this.clock.setTimeout(() => this.giveUp(waiter, policy.timeoutError(this.clock.now() - enqueuedAt, waiter.lastRetryAfterMs)), policy.maxWaitMs);
      policy.signal?.addEventListener("abort", onAbort, { once: true });
      this.enqueue(waiter);
      if (this.waiters.length === 1) void this.pump();
    });
  }

  /**
   * Background waiters go last; an interactive one goes before the first background waiter, but
   * never before a head whose attempt is in flight (pump() expects it to stay first).
   */
  private enqueue(waiter: Waiter<T>): void {
    if (waiter.policy.priority === "background") {
      this.waiters.push(waiter);
      return;
    }
    const from = this.pumping ? 1 : 0;
    let at = this.waiters.length;
    for (let i = from; i < this.waiters.length; i++) {
      if (this.waiters[i]!.policy.priority === "background") {
        at = i;
        break;
      }
    }
    this.waiters.splice(at, 0, waiter);
  }

  /** Capacity came back: let the head try again now instead of at its scheduled time. */
  wake(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    void this.pump();
  }

  private giveUp(waiter: Waiter<T>, error: Error): void {
    if (waiter.settled) return;
    waiter.settled = true;
    const wasHead = this.waiters[0] === waiter;
    const index = this.waiters.indexOf(waiter);
    // The head stays in place while its attempt is in flight; pump() drops it afterwards.
    if (index > 0 || (wasHead && !this.pumping)) this.waiters.splice(index, 1);
    waiter.reject(error);
    if (wasHead) this.wake();
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const head = this.waiters[0]!;
        if (head.settled) {
          this.waiters.shift();
          continue;
        }
        this.again = false;
        let attempt: Attempt<T>;
        try {
          attempt = await head.policy.tryAcquire();
        } catch (error) {
          this.waiters.shift();
          if (!head.settled) {
            head.settled = true;
            head.reject(error);
          }
          continue;
        }
        if (attempt.ok) {
          this.waiters.shift();
          if (head.settled) await head.policy.release(attempt.value).catch(() => undefined);
          else {
            head.settled = true;
            head.resolve(attempt.value);
          }
          continue;
        }
        head.lastRetryAfterMs = attempt.retryAfterMs;
        if (this.again || head.settled) continue;
        this.schedule(attempt.retryAfterMs);
        break;
      }
    } finally {
      this.pumping = false;
    }
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, Math.max(1, ms));
  }
}
