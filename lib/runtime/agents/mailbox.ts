// A bounded FIFO mailbox. Back-pressure: `put` waits for room when the mailbox is full, or fails
// fast with MAILBOX_FULL when asked to. Waiting senders are served in arrival order.
import { AgentError } from "./errors";

export interface MailboxOptions {
  /** Most messages held at once (default 1000). */
  readonly capacity?: number;
  /** What `put` does when full: "wait" for room (default) or "fail" at once. */
  readonly overflow?: "wait" | "fail";
}

export interface PutOptions {
  readonly signal?: AbortSignal;
  /** Overrides the mailbox's overflow policy for this put. */
  readonly overflow?: "wait" | "fail";
}

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

/** A FIFO queue with an amortised O(1) shift (a head index, compacted now and then). */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  unshift(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
  remove(predicate: (item: T) => boolean): void {
    const kept = this.items.slice(this.head).filter((i) => !predicate(i));
    this.items = kept;
    this.head = 0;
  }
}

export class Mailbox<T> {
  readonly capacity: number;
  readonly overflow: "wait" | "fail";
  private readonly queue = new Queue<T>();
  private readonly takers = new Queue<Waiter<T>>();
  private readonly putters = new Queue<{ item: T; waiter: Waiter<void> }>();
  private closed: unknown = undefined;

  constructor(options: MailboxOptions = {}, private readonly owner = "mailbox") {
    const capacity = options.capacity ?? 1000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new AgentError("OPTION_INVALID", `${owner}: mailbox capacity must be a positive integer (got ${String(capacity)})`, owner);
    }
    this.capacity = capacity;
    this.overflow = options.overflow ?? "wait";
  }

  /** Messages waiting to be taken (not counting senders blocked on a full mailbox). */
  get depth(): number {
    return this.queue.length;
  }

  /** Senders blocked on a full mailbox. */
  get blocked(): number {
    return this.putters.length;
  }

  put(item: T, options: PutOptions = {}): Promise<void> {
    if (this.closed !== undefined) return Promise.reject(this.closed);
    const taker = this.takers.shift();
    if (taker) {
      taker.resolve(item);
      return Promise.resolve();
    }
    if (this.queue.length < this.capacity && this.putters.length === 0) {
      this.queue.push(item);
      return Promise.resolve();
    }
    if ((options.overflow ?? this.overflow) === "fail") {
      return Promise.reject(new AgentError("MAILBOX_FULL", `${this.owner}: mailbox full (${this.capacity} messages); retry later, raise mailbox.capacity, or send with overflow "wait"`, this.owner));
    }
    return this.waitFor(this.putters, options.signal, (waiter) => ({ item, waiter }));
  }

  /** The next message, in arrival order; waits while the mailbox is empty. */
  take(signal?: AbortSignal): Promise<T> {
    if (this.closed !== undefined) return Promise.reject(this.closed);
    if (this.queue.length > 0) {
      const item = this.queue.shift() as T;
      this.admitPutter();
      return Promise.resolve(item);
    }
    const putter = this.putters.shift();
    if (putter) {
      putter.waiter.resolve();
      return Promise.resolve(putter.item);
    }
    return this.waitFor(this.takers, signal, (waiter) => waiter);
  }

  /** Puts a message back at the head (a message whose processing was interrupted). */
  returnToHead(item: T): void {
    this.queue.unshift(item);
  }

  /** Removes and returns every message (queued and blocked), e.g. when the agent stops for good. */
  drain(): T[] {
    const out = this.queue.drain();
    for (const p of this.putters.drain()) {
      out.push(p.item);
      p.waiter.resolve();
    }
    return out;
  }

  /** Refuses every later put and take with `reason`; pending takers are rejected with it. */
  close(reason: unknown): void {
    this.closed = reason;
    for (const t of this.takers.drain()) t.reject(reason);
  }

  private admitPutter(): void {
    if (this.queue.length >= this.capacity) return;
    const putter = this.putters.shift();
    if (!putter) return;
    this.queue.push(putter.item);
    putter.waiter.resolve();
  }

  private waitFor<W, V>(queue: Queue<W>, signal: AbortSignal | undefined, make: (waiter: Waiter<V>) => W): Promise<V> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<V>((resolve, reject) => {
      const entry = make({
        resolve: (v) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(v);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      });
      const onAbort = () => {
        queue.remove((w) => w === entry);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(entry);
    });
  }
}
