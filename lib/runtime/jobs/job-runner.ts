// Runs claimed jobs for either backend: each attempt is a temporary child of a "jobs" supervisor
// (a crash fails or retries the job, never the process), with its own abort signal (cancel,
// timeout, shutdown, lost), heartbeats on the Job row, and its outcome recorded there (inside the
// child, so a supervisor stopping the tree waits for the bookkeeping too).
import { setMaxListeners } from "node:events";
import type { PrismaClient } from "../../db";
import type { Logger } from "../../log";
import type { Clock, TimerHandle } from "../clock";
import { startSupervisor, supervisor, SupervisorNotRunningError, task, type Supervisor, type SupervisorEventSink } from "../supervisor";
import { heartbeat, settleAttempt, writeProgress, type AttemptOutcome, type ClaimedJob, type Settlement } from "../store";
import { parsePayload, type JobRegistry, type JobRunContext } from "./define-job";
import { abortReasonOf, errorText, JobAbortedError, JobTimeoutError, PermanentJobError, type JobAbortReason } from "./errors";
import { runFailedHook } from "./hooks";

export interface JobRunnerOptions {
  readonly prisma: PrismaClient;
  readonly registry: JobRegistry;
  readonly workerId: string;
  readonly clock: Clock;
  readonly heartbeatMs: number;
  /** How long each attempt may take to stop when the supervisor stops it. */
  readonly shutdownMs: number;
  /** Delay before a retry when the kind sets none. */
  readonly retryDelayMs: number;
  readonly log: Logger;
  /** When given, the jobs supervisor runs as its child "jobs" (events go through the parent); else it is a root of its own, path "jobs". */
  readonly parent?: Supervisor;
  /** Receives the jobs supervisor's `supervisor:child` events (without a parent). */
  readonly onSupervisorEvent?: SupervisorEventSink;
}

const JOBS_CHILD = "jobs";

interface Running {
  readonly claim: ClaimedJob;
  abort(reason: JobAbortReason): void;
  readonly done: Promise<Settlement>;
}

export class JobRunner {
  private sup: Supervisor | undefined;
  private readonly running = new Map<string, Running>();
  private beat: TimerHandle | undefined;
  private beating: Promise<void> = Promise.resolve();
  private stopped = false;
  private seq = 0;

  constructor(private readonly o: JobRunnerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    const { parent } = this.o;
    if (parent) {
      let started: Supervisor | undefined;
      const start = supervisor();
      await parent.startChild({
        id: JOBS_CHILD,
        type: "supervisor",
        restart: "temporary",
        shutdownMs: Number.POSITIVE_INFINITY,
        start: async (ctx) => (started = (await start(ctx)) as Supervisor),
      });
      this.sup = started;
    } else {
      this.sup = await startSupervisor({ path: JOBS_CHILD, clock: this.o.clock, onEvent: this.o.onSupervisorEvent });
    }
    this.scheduleBeat();
  }

  /** Whether an attempt of this job runs here now. */
  has(id: string): boolean {
    return this.running.has(id);
  }

  /** Aborts one running attempt; false when it does not run here. */
  abort(id: string, reason: JobAbortReason): boolean {
    const entry = this.running.get(id);
    entry?.abort(reason);
    return entry !== undefined;
  }

  /**
   * Runs one attempt and records it (Job row, then the failed hook when it failed for good),
   * both inside the attempt's supervised child, so a parent supervisor stopping the tree waits
   * for the bookkeeping too. Resolves with what the row says now; never rejects.
   */
  run(claim: ClaimedJob): Promise<Settlement> {
    const definition = this.o.registry.get(claim.kind);
    let payload: unknown;
    try {
      if (!definition) throw new PermanentJobError(`no handler for job kind "${claim.kind}" in worker ${this.o.workerId}`);
      payload = parsePayload(definition, claim.payload);
    } catch (error) {
      return this.record(claim, { kind: "failed", error, permanent: true });
    }
    if (!this.sup || this.stopped) return this.record(claim, { kind: "interrupted", reason: "shutdown" });

    const { clock } = this.o;
    const controller = new AbortController();
    // Every LM call in flight listens on the job's signal; an optimization runs many at once.
    setMaxListeners(1_000, controller.signal);
    const abort = (reason: JobAbortReason) => {
      if (!controller.signal.aborted) controller.abort(new JobAbortedError(claim.id, reason));
    };
    const timer = definition.timeoutMs !== undefined ? clock.setTimeout(() => abort("timeout"), definition.timeoutMs) : undefined;
    const classify = (ended: { ok: true; result: unknown } | { ok: false; error: unknown }): AttemptOutcome => {
      const reason = abortReasonOf(controller.signal);
      if (reason === "timeout") return { kind: "failed", error: new JobTimeoutError(claim.id, definition.timeoutMs!), permanent: false };
      if (reason) return { kind: "interrupted", reason, ...(ended.ok ? { result: ended.result } : {}) };
      if (ended.ok) return { kind: "completed", result: ended.result };
      return { kind: "failed", error: ended.error, permanent: ended.error instanceof PermanentJobError };
    };

    let finish!: (settled: Settlement) => void;
    const done = new Promise<Settlement>((resolve) => (finish = resolve));
    const end = async (outcome: AttemptOutcome): Promise<void> => {
      if (timer !== undefined) clock.clearTimeout(timer);
      const settled = await this.record(claim, outcome);
      this.running.delete(claim.id);
      finish(settled);
    };
    this.running.set(claim.id, { claim, abort, done });

    const log = this.o.log.child({ jobId: claim.id, kind: claim.kind, attempt: claim.attempt });
    const ctx: JobRunContext = {
      jobId: claim.id,
      signal: controller.signal,
      attempt: claim.attempt,
      maxAttempts: claim.maxAttempts,
      workerId: this.o.workerId,
      log,
      progress: (value) => writeProgress(this.o.prisma, claim.id, this.o.workerId, value).catch((err: unknown) => log.warn({ err }, "job progress not stored")),
    };
    this.sup
      .startChild({
        id: `job:${claim.id}:${++this.seq}`,
        restart: "temporary",
        shutdownMs: this.o.shutdownMs,
        start: task(async (stopSignal) => {
          const onStop = () => abort("shutdown");
          stopSignal.addEventListener("abort", onStop, { once: true });
          let outcome: AttemptOutcome;
          let error: unknown;
          try {
            outcome = classify({ ok: true, result: await definition.run(payload, ctx) });
          } catch (err) {
            outcome = classify({ ok: false, error: err });
            error = err;
          } finally {
            stopSignal.removeEventListener("abort", onStop);
          }
          await end(outcome);
          // A failure is a crash of this child (recorded by the supervisor; temporary: never restarted).
          if (outcome.kind === "failed") throw error;
        }),
      })
      // The jobs supervisor stopped under us (its parent is shutting down): back to the queue.
      .catch((error: unknown) => end(error instanceof SupervisorNotRunningError ? { kind: "interrupted", reason: "shutdown" } : { kind: "failed", error, permanent: false }));
    return done;
  }

  /** Writes an attempt's outcome to the Job row and runs the failed hook when it failed for good. */
  private async record(claim: ClaimedJob, outcome: AttemptOutcome): Promise<Settlement> {
    const { prisma, workerId, log, registry, clock } = this.o;
    try {
      const retryDelayMs = registry.get(claim.kind)?.retryDelayMs ?? this.o.retryDelayMs;
      const settled = await settleAttempt(prisma, claim, workerId, outcome, retryDelayMs, new Date(clock.now()));
      log.debug({ jobId: claim.id, kind: claim.kind, attempt: claim.attempt, settled: settled.kind }, `job ${claim.id} attempt ${claim.attempt}: ${settled.kind}`);
      if (settled.kind === "failed") await runFailedHook(registry, log, claim, { jobId: claim.id, error: settled.error, attempts: claim.attempt });
      return settled;
    } catch (err) {
      log.error({ err: errorText(err), jobId: claim.id }, `job ${claim.id}: recording its outcome failed; it is recovered as orphaned later`);
      return { kind: "unrecorded", error: errorText(err) };
    }
  }

  /**
   * Graceful stop: aborts every running attempt (reason "shutdown") at once, then stops the jobs
   * supervisor, which waits up to `shutdownMs` for each attempt to reach its next checkpoint and
   * record itself. Returns the claims that did not end in time (their rows are still running).
   */
  async stop(): Promise<ClaimedJob[]> {
    this.stopped = true;
    if (this.beat !== undefined) this.o.clock.clearTimeout(this.beat);
    this.beat = undefined;
    for (const e of this.running.values()) e.abort("shutdown");
    await this.beating;
    // Under a parent that is itself stopping, the parent stops the jobs supervisor.
    if (this.o.parent) await this.o.parent.terminateChild(JOBS_CHILD).catch(() => undefined);
    else await this.sup?.stop();
    this.sup = undefined;
    return [...this.running.values()].map((e) => e.claim);
  }

  private scheduleBeat(): void {
    if (this.stopped) return;
    this.beat = this.o.clock.setTimeout(() => {
      this.beating = this.beatOnce().finally(() => this.scheduleBeat());
    }, this.o.heartbeatMs);
  }

  private async beatOnce(): Promise<void> {
    try {
      const gone = await heartbeat(this.o.prisma, this.o.workerId, [...this.running.keys()], new Date(this.o.clock.now()));
      for (const g of gone) {
        this.o.log.info({ jobId: g.id, reason: g.reason }, `job ${g.id} is no longer this worker's (${g.reason}); aborting it`);
        this.abort(g.id, g.reason);
      }
    } catch (err) {
      this.o.log.warn({ err: errorText(err) }, "job heartbeat failed; retrying at the next beat");
    }
  }
}
