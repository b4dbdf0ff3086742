import { delay, sleepOn, type Clock, type TimerHandle } from "./clock";

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export interface FakeClockOptions {
  /** The clock's starting time in epoch milliseconds; default 2026-01-01T00:00:00.000Z. */
  readonly start?: number;
}

/** Lets pending promise callbacks run (a macrotask turn drains every queued microtask). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock for tests: time stands still until `advance(ms)` moves it. Timers fire in time order
 * (ties in the order they were set), and after each one the promise callbacks it caused run
 * before the next timer, so async code reacting to a timer can set further timers in the window.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(options: FakeClockOptions = {}) {
    this.time = options.start ?? Date.UTC(2026, 0, 1);
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + delay(ms), seq, callback });
    return seq as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of timers waiting to fire. */
  pending(): number {
    return this.timers.size;
  }

  /** When the next timer fires, or undefined when none is set. */
  nextAt(): number | undefined {
    return this.next(Number.POSITIVE_INFINITY)?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + delay(ms);
    await flushPromises();
    for (let timer = this.next(target); timer; timer = this.next(target)) {
      this.timers.delete(timer.seq);
      this.time = timer.at;
      timer.callback();
      await flushPromises();
    }
    this.time = target;
  }

  /** Fires timers in order until none is left (at most `limit`, to stop runaway loops); returns how many fired. */
  async runAll(limit = 10_000): Promise<number> {
    let fired = 0;
    await flushPromises();
    for (let timer = this.next(Number.POSITIVE_INFINITY); timer && fired < limit; timer = this.next(Number.POSITIVE_INFINITY)) {
      this.timers.delete(timer.seq);
      this.time = timer.at;
      timer.callback();
      fired++;
      await flushPromises();
    }
    return fired;
  }

  private next(until: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > until) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
