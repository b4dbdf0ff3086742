// Restart intensity and backoff: the restarts of the last `periodMs`, and the delay before the next.
import type { Backoff } from "./spec";

interface Entry {
  readonly at: number;
  readonly child: string;
}

/** Restarts within a sliding period; an entry exactly `periodMs` old has expired. O(1) amortised. */
export class RestartWindow {
  private entries: Entry[] = [];
  private head = 0;
  private readonly perChild = new Map<string, number>();

  constructor(private readonly periodMs: number) {}

  /** Records a restart caused by `child` at `now`; returns how many fall in the period, this one included. */
  record(now: number, child: string): number {
    this.prune(now);
    this.entries.push({ at: now, child });
    this.perChild.set(child, (this.perChild.get(child) ?? 0) + 1);
    return this.entries.length - this.head;
  }

  count(now: number): number {
    this.prune(now);
    return this.entries.length - this.head;
  }

  /** Restarts caused by `child` in the period. */
  countFor(now: number, child: string): number {
    this.prune(now);
    return this.perChild.get(child) ?? 0;
  }

  private prune(now: number): void {
    const horizon = now - this.periodMs;
    while (this.head < this.entries.length && this.entries[this.head]!.at <= horizon) {
      const { child } = this.entries[this.head++]!;
      const left = this.perChild.get(child)! - 1;
      if (left === 0) this.perChild.delete(child);
      else this.perChild.set(child, left);
    }
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Delay before a restart: `initialMs * factor^(attempt-1)`, capped at `maxMs`, spread by ±jitter.
 * `attempt` is how many restarts this child has caused within the period (1 for the first).
 */
export function backoffDelay(backoff: Backoff | undefined, attempt: number, random: () => number): number {
  if (!backoff) return 0;
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  const spread = backoff.jitter === 0 ? 1 : 1 + backoff.jitter * (2 * random() - 1);
  return Math.min(backoff.maxMs, Math.max(0, base * spread));
}
