// What an optimization run tells the world: `trial:finished` for every trial once its row is
// committed (so a dashboard that re-reads the trials always finds it), then `optimization:status`
// with the totals of that checkpoint; replayed trials are announced at once (they are stored).
// Payloads are validated against lib/schemas/events.ts before they leave.
import { type Checkpoint, type CheckpointStore, type OptimizationEvent, type TrialResult } from "../../dspex";
import type { Logger } from "../../log";
import { OptimizationStatusSchema, TrialEventSchema, type RuntimeEventPayload } from "../../schemas/events";
import type { Clock } from "../clock";

export type OptimizationEventName = "trial:finished" | "optimization:status";
export type OptimizationStatusPayload = RuntimeEventPayload<"optimization:status">;
export type TrialFinishedPayload = RuntimeEventPayload<"trial:finished">;

/** Where events go (the runtime's event bus); a returned promise is awaited (back-pressure). */
export type PublishOptimizationEvent = <E extends OptimizationEventName>(name: E, payload: RuntimeEventPayload<E>) => unknown;

export interface Totals {
  readonly trials: number;
  readonly bestScore: number | null;
  readonly baselineScore: number | null;
  readonly spentUsd: number;
  readonly lmCalls: number;
  readonly elapsedSeconds: number;
}

const finite = (n: number | undefined): number | null => (n !== undefined && Number.isFinite(n) ? n : null);

/** Totals as the checkpoint store writes them on the Optimization row. */
export function totalsOf(trials: readonly TrialResult[], spend: Checkpoint["spend"]): Totals {
  let best: number | null = null;
  for (const t of trials) {
    const s = finite(t.score);
    if (t.state === "complete" && t.evaluation === "full" && s !== null && (best === null || s > best)) best = s;
  }
  const baseline = trials.find((t) => t.meta?.role === "baseline" && t.state === "complete");
  return { trials: trials.length, bestScore: best, baselineScore: finite(baseline?.score), spentUsd: Math.max(0, spend.usd), lmCalls: spend.lmCalls, elapsedSeconds: Math.max(0, spend.seconds) };
}

export function trialPayload(optimizationId: string, t: TrialResult, replayed: boolean, at: Date): TrialFinishedPayload {
  const values = t.values && t.values.every(Number.isFinite) ? [...t.values] : null;
  return TrialEventSchema.parse({
    optimizationId,
    number: t.number,
    state: t.state,
    evaluation: t.evaluation,
    set: t.set ?? "val",
    config: t.config,
    score: finite(t.score),
    values,
    costUsd: Math.max(0, t.costUsd),
    lmCalls: t.lmCalls,
    latencyMs: Math.max(0, finite(t.latencyMs) ?? 0),
    examples: t.examples.length,
    meta: t.meta ?? null,
    error: t.error ?? null,
    replayed,
    at: at.toISOString(),
  });
}

export function statusPayload(optimizationId: string, status: OptimizationStatusPayload["status"], totals: Totals, message: string | null, at: Date): OptimizationStatusPayload {
  return OptimizationStatusSchema.parse({ optimizationId, status, ...totals, message, at: at.toISOString() });
}

/** Publishes an optimization's events in order, never throwing into the optimizer. */
export class OptimizationPublisher {
  private readonly pending = new Map<number, TrialResult>();
  private chain: Promise<void> = Promise.resolve();
  private latest: Totals;

  constructor(
    private readonly optimizationId: string,
    private readonly publish: PublishOptimizationEvent,
    private readonly clock: Clock,
    private readonly log: Logger,
    initial: Totals,
    /** Called with the totals after each committed checkpoint (e.g. the job's progress). */
    private readonly onCommitted: (totals: Totals) => Promise<void> | void = () => undefined,
  ) {
    this.latest = initial;
  }

  get totals(): Totals {
    return this.latest;
  }

  /** The framework's event stream: finished trials wait for their checkpoint, replayed ones go at once. */
  onEvent = (event: OptimizationEvent): void => {
    if (event.type !== "trial:complete") return;
    if (event.replayed) this.send("trial:finished", () => trialPayload(this.optimizationId, event.trial, true, this.now()));
    else this.pending.set(event.trial.number, event.trial);
  };

  /** Wraps a checkpoint store: after each committed save, the trials it holds are announced. */
  wrap(store: CheckpointStore): CheckpointStore {
    return {
      load: () => store.load(),
      save: async (checkpoint) => {
        await store.save(checkpoint);
        this.committed(checkpoint);
        await this.chain;
      },
    };
  }

  status(status: OptimizationStatusPayload["status"], message: string | null, totals: Totals = this.latest): Promise<void> {
    this.latest = totals;
    this.send("optimization:status", () => statusPayload(this.optimizationId, status, totals, message, this.now()));
    return this.chain;
  }

  /** Waits for everything sent so far. */
  flush(): Promise<void> {
    return this.chain;
  }

  private committed(checkpoint: Checkpoint): void {
    const stored = new Set(checkpoint.trials.map((t) => t.number));
    const ready = [...this.pending.values()].filter((t) => stored.has(t.number)).sort((a, b) => a.number - b.number);
    for (const t of ready) {
      this.pending.delete(t.number);
      this.send("trial:finished", () => trialPayload(this.optimizationId, t, false, this.now()));
    }
    this.latest = totalsOf(checkpoint.trials, checkpoint.spend);
    if (ready.length) {
      const totals = this.latest;
      void this.status("running", null, totals);
      this.chain = this.chain.then(() => this.onCommitted(totals)).catch((err: unknown) => this.log.warn({ err }, "optimization progress not stored"));
    }
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  private send<E extends OptimizationEventName>(name: E, build: () => RuntimeEventPayload<E>): void {
    this.chain = this.chain
      .then(async () => {
        await this.publish(name, build());
      })
      .catch((err: unknown) => this.log.error({ err, optimizationId: this.optimizationId, event: name }, `event ${name} not published`));
  }
}
