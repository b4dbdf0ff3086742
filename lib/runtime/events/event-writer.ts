// The batched writer: persists runs, spans, LM calls and agent events without ever writing a row
// per event. Events wait in a bounded buffer and are written one batch (one SQL statement, see
// write-batch.ts) at a time, every `flushIntervalMs` or as soon as `maxBatch` are waiting.
//
// A run that started less than `flushIntervalMs` ago and has not finished stays in the buffer
// (with its spans and LM calls) when another run's durable end forces a batch out early: most
// runs then finish first and are written once, as one row, instead of inserted as running and
// updated (which doubles the row and every index entry until a vacuum). A run still goes out no
// later than it would have without the early batch, and a flush() or stop() takes everything.
//
// Back-pressure: `publish` resolves at once while the writer holds fewer than `capacity` events
// (buffered plus being written); past that, the event waits in line with its producer and the
// promise resolves when a flush makes room. Producers that await slow down to the database's
// pace; nothing is dropped, and memory holds at most `capacity` events plus one per waiting producer.
//
// Failures: a batch that fails is retried with backoff; a batch refused for its data (a constraint,
// a bad value) is split in halves until the bad events are alone. An event that still cannot be
// written becomes a dead letter: logged in full at error level, kept in memory (`deadLetters()`),
// re-enqueued by `retryDeadLetters()`, and its durable producer's promise rejects. Never silently lost.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { SqlSession } from "../../db";
import type { Logger } from "../../log";
import type { RuntimeEvent } from "../../schemas";
import { systemClock, type Clock, type TimerHandle } from "../clock";
import { EventStreamError, type EventStreamErrorCode } from "./errors";
import { READY, type BusListener, type EmitOptions } from "./event-bus";
import { isDataError, PERSISTED_EVENTS, prepareBatch, writeBatch, type BatchResult, type PreparedBatch } from "./write-batch";

export const EventWriterConfigSchema = z
  .object({
    /** Longest time an event waits before its batch is written. */
    flushIntervalMs: z.number().int().min(1).max(60_000).default(100),
    /** Most events per batch (one statement); a full batch is written at once. */
    maxBatch: z.number().int().min(1).max(50_000).default(1_000),
    /** Most events held (buffered plus being written) before producers wait. */
    capacity: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Further attempts for a batch that fails for a reason other than its data. */
    retries: z.number().int().min(0).max(20).default(5),
    /** Delay before the first retry; doubles each time, at most 5 s. */
    retryDelayMs: z.number().min(0).max(60_000).default(100),
    /** Dead letters kept in memory (all are logged in full when they die); the oldest go first. */
    maxDeadLetters: z.number().int().min(0).max(1_000_000).default(10_000),
    /** How long `stop()` may spend draining; what is left then is logged as dead letters. */
    stopTimeoutMs: z.number().int().min(0).max(600_000).default(3_000),
  })
  .refine((c) => c.capacity >= c.maxBatch, { message: "capacity must be at least maxBatch", path: ["capacity"] });
export type EventWriterConfig = z.infer<typeof EventWriterConfigSchema>;

export interface EventWriterOptions extends Partial<z.input<typeof EventWriterConfigSchema>> {
  /** Where rows go: `db.sql` of an open database (PGlite or PostgreSQL). */
  sql: SqlSession;
  log: Logger;
  clock?: Clock;
  /** The process writing (a RuntimeInstance id), stamped on the runs it starts. */
  instanceId?: string;
}

export interface DeadLetter {
  readonly event: RuntimeEvent;
  readonly code: EventStreamErrorCode;
  readonly error: string;
  readonly at: string;
}

export interface EventWriterStats {
  /** Events accepted for writing. */
  readonly accepted: number;
  /** Events committed. */
  readonly written: number;
  /** Batches taken from the buffer. */
  readonly flushes: number;
  /** SQL statements sent (a batch is one, plus retries and splits). */
  readonly statements: number;
  readonly retries: number;
  readonly deadLetters: number;
  readonly rows: { readonly runsInserted: number; readonly runsUpdated: number; readonly spans: number; readonly lmCalls: number; readonly agents: number; readonly agentEvents: number };
  /** Events held now (buffered plus being written), and the most ever held. */
  readonly held: number;
  readonly maxHeld: number;
  /** Producers waiting for room now. */
  readonly waiting: number;
  /** Duration of the last batch write, in milliseconds. */
  readonly lastFlushMs: number;
}

interface Pending {
  readonly seq: number;
  readonly event: RuntimeEvent;
  readonly rowId: string;
  /** When it was accepted (the writer's clock). */
  readonly at: number;
  ack?: { resolve: () => void; reject: (err: unknown) => void };
}

/** The run a run:started, span:finished or lmcall:recorded belongs to (agent events belong to none). */
function runOf(event: RuntimeEvent): string | null {
  switch (event.name) {
    case "run:started":
    case "run:finished":
    case "span:finished":
    case "lmcall:recorded":
      return event.payload.runId;
    default:
      return null;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

export class EventWriter {
  readonly config: EventWriterConfig;
  private readonly sql: SqlSession;
  private readonly instanceId: string | null;
  private readonly log: Logger;
  private readonly clock: Clock;
  private buffer: Pending[] = [];
  private inFlight = 0;
  private readonly blocked: { item: Pending; admit: () => void }[] = [];
  private durableBuffered = 0;
  /** Buffered events the last batch left for later (young runs still going). */
  private heldBack = 0;
  private seq = 0;
  private doneSeq = 0;
  private flushTarget = 0;
  private pumping: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private immediate = false;
  private state: "running" | "stopping" | "stopped" = "running";
  private dead: DeadLetter[] = [];
  private readonly counters: Mutable<Omit<EventWriterStats, "held" | "waiting">> = {
    accepted: 0,
    written: 0,
    flushes: 0,
    statements: 0,
    retries: 0,
    deadLetters: 0,
    rows: { runsInserted: 0, runsUpdated: 0, spans: 0, lmCalls: 0, agents: 0, agentEvents: 0 },
    maxHeld: 0,
    lastFlushMs: 0,
  };

  constructor(options: EventWriterOptions) {
    const { sql, log, clock, instanceId, ...rest } = options;
    const parsed = EventWriterConfigSchema.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EventStreamError("OPTION_INVALID", `EventWriter: option "${issue?.path.join(".")}" ${issue?.message}`);
    }
    this.config = parsed.data;
    this.sql = sql;
    this.log = log;
    this.clock = clock ?? systemClock();
    this.instanceId = instanceId ?? null;
  }

  /** Whether the writer persists events of this name (runs, spans, LM calls, agent states). */
  static persists(name: string): boolean {
    return PERSISTED_EVENTS.has(name as RuntimeEvent["name"]);
  }

  /** Subscribe this to an `EventBus`: persisted events go to `publish`, the others are ignored. */
  readonly listener: BusListener = (event) => {
    if (!PERSISTED_EVENTS.has(event.name as RuntimeEvent["name"])) return undefined;
    return this.publish(event as unknown as RuntimeEvent, { durable: event.durable });
  };

  /**
   * Accepts an event for writing. Resolves at once (`READY`) while there is room; otherwise when a
   * flush has made room for it. With `durable`, resolves when the event is committed (and rejects
   * with `EVENT_WRITE_FAILED` if it becomes a dead letter).
   */
  publish(event: RuntimeEvent, options: EmitOptions = {}): Promise<void> {
    if (!PERSISTED_EVENTS.has(event.name)) return READY;
    const item: Pending = { seq: 0, event, rowId: event.name === "agent:state" ? randomUUID() : "", at: this.clock.now() };
    if (this.state === "stopped") {
      this.kill([item], new EventStreamError("WRITER_STOPPED", `event "${event.name}" arrived after the writer stopped`));
      return options.durable ? Promise.reject(new EventStreamError("WRITER_STOPPED", `event "${event.name}" arrived after the writer stopped; it was logged as a dead letter`)) : READY;
    }
    (item as { seq: number }).seq = ++this.seq;
    this.counters.accepted++;
    let ack: Promise<void> | undefined;
    if (options.durable) ack = new Promise<void>((resolve, reject) => (item.ack = { resolve, reject }));
    if (this.blocked.length === 0 && this.held() < this.config.capacity) {
      this.enqueue(item);
      return ack ?? READY;
    }
    const admitted = new Promise<void>((admit) => this.blocked.push({ item, admit }));
    this.schedule();
    return ack ?? admitted;
  }

  /** Resolves when every event accepted before the call is committed (or has become a dead letter). */
  async flush(): Promise<void> {
    const target = this.seq;
    this.flushTarget = Math.max(this.flushTarget, target);
    while (this.doneSeq < target && (this.buffer.length > 0 || this.blocked.length > 0 || this.pumping)) await this.pump();
  }

  /**
   * Drains everything (buffered events and waiting producers), then refuses new events (they are
   * logged as dead letters). Whatever is not written within `stopTimeoutMs` is logged as dead letters.
   */
  async stop(): Promise<void> {
    if (this.state !== "running") {
      while (this.state === "stopping") await this.clock.sleep(10);
      return;
    }
    this.state = "stopping";
    const timeout = new AbortController();
    const expired = this.clock.sleep(this.config.stopTimeoutMs, timeout.signal).then(
      () => true,
      () => false,
    );
    const drainAll = async () => {
      while (this.buffer.length > 0 || this.blocked.length > 0 || this.pumping) await this.flush();
      return true;
    };
    const drained = await Promise.race([drainAll(), expired.then((e) => !e)]);
    timeout.abort();
    if (!drained) {
      const left = [...this.buffer, ...this.blocked.map((b) => b.item)];
      this.buffer = [];
      this.durableBuffered = 0;
      this.blocked.splice(0).forEach((b) => b.admit());
      if (left.length) this.kill(left, new EventStreamError("WRITER_STOPPED", `stop() gave up after ${this.config.stopTimeoutMs} ms with ${left.length} events unwritten`));
    }
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.state = "stopped";
  }

  stats(): EventWriterStats {
    return { ...this.counters, rows: { ...this.counters.rows }, held: this.held(), waiting: this.blocked.length };
  }

  /** Events the writer gave up on, oldest first (at most `maxDeadLetters`). */
  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  /** Puts every dead letter back in line (after the database is back, say); resolves when they are accepted. */
  async retryDeadLetters(): Promise<number> {
    const letters = this.dead.splice(0);
    for (const letter of letters) await this.publish(letter.event);
    return letters.length;
  }

  private held(): number {
    return this.buffer.length + this.inFlight;
  }

  private enqueue(item: Pending): void {
    this.buffer.push(item);
    if (item.ack) this.durableBuffered++;
    const held = this.held();
    if (held > this.counters.maxHeld) this.counters.maxHeld = held;
    this.schedule();
  }

  private admit(): void {
    while (this.blocked.length > 0 && this.held() < this.config.capacity) {
      const next = this.blocked.shift()!;
      this.enqueue(next.item);
      next.admit();
    }
  }

  private urgent(): boolean {
    return (
      this.buffer.length - this.heldBack >= this.config.maxBatch || this.durableBuffered > 0 || this.blocked.length > 0 || this.draining()
    );
  }

  /** Everything buffered must go out now: stopping, or a flush() waits. */
  private draining(): boolean {
    return this.state !== "running" || this.flushTarget > this.doneSeq;
  }

  /** Arranges the next flush: right away (next turn, so concurrent producers share it) when urgent, else after the interval. */
  private schedule(): void {
    if (this.pumping) return; // the pump looks again when it finishes
    if (this.urgent() && (this.buffer.length > 0 || this.blocked.length > 0)) {
      if (this.immediate) return;
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        void this.pump();
      });
    } else if (this.buffer.length > 0 && !this.timer) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        void this.pump();
      }, this.config.flushIntervalMs);
    }
  }

  private pump(): Promise<void> {
    if (this.pumping) return this.pumping;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pumping = (async () => {
      let wrote: boolean;
      do {
        this.admit();
        wrote = await this.drainOnce();
      } while (wrote && (this.buffer.length > 0 || this.blocked.length > 0) && this.urgent());
    })().finally(() => {
      this.pumping = undefined;
      this.schedule();
    });
    return this.pumping;
  }

  /** Takes the next batch from the buffer; false when there was nothing to take. */
  private async drainOnce(): Promise<boolean> {
    const { batch, firstHeldSeq } = this.takeBatch();
    if (batch.length === 0) return false;
    for (const item of batch) if (item.ack) this.durableBuffered--;
    this.inFlight = batch.length;
    this.counters.flushes++;
    const t0 = performance.now();
    try {
      await this.write(batch);
    } finally {
      this.inFlight = 0;
      this.counters.lastFlushMs = performance.now() - t0;
      // Every event up to doneSeq is written: an event held back is not.
      this.doneSeq = firstHeldSeq === undefined ? batch[batch.length - 1]!.seq : Math.min(batch[batch.length - 1]!.seq, firstHeldSeq - 1);
    }
    return true;
  }

  /** Up to maxBatch events in order, leaving the events of young unfinished runs unless draining. */
  private takeBatch(): { batch: Pending[]; firstHeldSeq: number | undefined } {
    const held = this.draining() ? undefined : this.youngUnfinishedRuns();
    if (held === undefined || held.size === 0) {
      this.heldBack = 0;
      return { batch: this.buffer.splice(0, this.config.maxBatch), firstHeldSeq: undefined };
    }
    const batch: Pending[] = [];
    const kept: Pending[] = [];
    let firstHeldSeq: number | undefined;
    for (const item of this.buffer) {
      const run = runOf(item.event);
      if (batch.length < this.config.maxBatch && (item.ack || run === null || !held.has(run))) batch.push(item);
      else {
        kept.push(item);
        firstHeldSeq ??= item.seq;
      }
    }
    this.buffer = kept;
    this.heldBack = kept.length;
    return { batch, firstHeldSeq };
  }

  /** Runs whose run:started is buffered, less than flushIntervalMs old, and whose run:finished is not buffered. */
  private youngUnfinishedRuns(): Set<string> {
    const since = this.clock.now() - this.config.flushIntervalMs;
    const young = new Set<string>();
    for (const item of this.buffer) {
      if (item.event.name === "run:started" && item.at > since) young.add(item.event.payload.runId);
      else if (item.event.name === "run:finished") young.delete(item.event.payload.runId);
    }
    return young;
  }

  /** Writes items as one statement, retrying; splits a batch refused for its data until the bad events are alone. */
  private async write(items: Pending[]): Promise<void> {
    let batch: PreparedBatch;
    try {
      batch = prepareBatch(items, this.instanceId);
    } catch (err) {
      return this.splitOrKill(items, err); // a payload that cannot become a row (only possible unvalidated)
    }
    let failure: unknown;
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) {
        this.counters.retries++;
        await this.clock.sleep(Math.min(5_000, this.config.retryDelayMs * 2 ** (attempt - 1)));
      }
      try {
        this.counters.statements++;
        this.committed(items, await writeBatch(this.sql, batch));
        return;
      } catch (err) {
        failure = err;
        if (isDataError(err)) return this.splitOrKill(items, err);
        if (attempt < this.config.retries) this.log.warn({ err, events: items.length, attempt: attempt + 1 }, "event batch failed to write; retrying");
      }
    }
    this.kill(items, failure);
  }

  private async splitOrKill(items: Pending[], failure: unknown): Promise<void> {
    if (items.length === 1) return this.kill(items, failure);
    const mid = items.length >> 1;
    await this.write(items.slice(0, mid));
    await this.write(items.slice(mid));
  }

  private committed(items: Pending[], result: BatchResult): void {
    const missing = new Set(result.missingRuns);
    const orphans: Pending[] = [];
    for (const item of items) {
      if (missing.size > 0 && item.event.name === "run:finished" && missing.has(item.event.payload.runId)) orphans.push(item);
      else item.ack?.resolve();
    }
    const rows = this.counters.rows;
    rows.runsInserted += result.runsInserted;
    rows.runsUpdated += result.runsUpdated;
    rows.spans += result.spans;
    rows.lmCalls += result.lmCalls;
    rows.agents += result.agents;
    rows.agentEvents += result.agentEvents;
    this.counters.written += items.length - orphans.length;
    if (orphans.length) {
      this.kill(orphans, new EventStreamError("RUN_NOT_FOUND", `run:finished for ${orphans.length} run(s) that were never started (or whose run:started failed): ${[...missing].slice(0, 5).join(", ")}`));
    }
  }

  private kill(items: Pending[], failure: unknown): void {
    const code: EventStreamErrorCode = failure instanceof EventStreamError ? failure.code : "EVENT_WRITE_FAILED";
    const message = failure instanceof Error ? failure.message : String(failure);
    const at = new Date(this.clock.now()).toISOString();
    for (const item of items) {
      this.dead.push({ event: item.event, code, error: message, at });
      item.ack?.reject(new EventStreamError(code === "WRITER_STOPPED" ? code : "EVENT_WRITE_FAILED", `event "${item.event.name}" was not written: ${message}`, { cause: failure }));
    }
    const excess = this.dead.length - this.config.maxDeadLetters;
    if (excess > 0) this.dead.splice(0, excess);
    this.counters.deadLetters += items.length;
    // The log line is the durable record of these events: it carries them whole.
    this.log.error({ err: failure, code, events: items.map((i) => i.event) }, `${items.length} event(s) could not be written to the database; kept as dead letters`);
  }
}

/** A writer with its options checked; subscribe `writer.listener` to the bus. */
export function createEventWriter(options: EventWriterOptions): EventWriter {
  return new EventWriter(options);
}
