// The supervisor: starts children in order, applies restart types and the strategy when one
// exits, bounds restarts within a sliding period (escalating beyond it), waits the backoff, and
// stops children in reverse order. Every operation runs on one serial queue, so a crash, a timer
// and a caller's startChild never interleave halfway.
import { systemClock, type Clock, type TimerHandle } from "../clock";
import { SHUTDOWN } from "./child";
import { childSnapshot, newRecord, startHandle, stopHandle, type ChildRecord, type StopOutcome } from "./child-record";
import {
  ChildNotFoundError,
  ChildStartError,
  ChildStateError,
  ChildStopError,
  describeError,
  RestartIntensityError,
  ShutdownTimeoutError,
  SupervisorConfigError,
  SupervisorNotRunningError,
} from "./errors";
import { backoffDelay, RestartWindow } from "./restart-window";
import { markSupervisorStart, parseChildSpec, parseChildSpecs, parseFlags, type ChildSpec, type ChildSpecInput, type SupervisorFlags, type SupervisorFlagsInput } from "./spec";
import { restartGroup, shouldRestart } from "./strategies";
import type { AbandonedChild, ChildSnapshot, ChildState, ExitReason, ShutdownReport, StartFn, StopReason, Supervisor, SupervisorEventSink, SupervisorSnapshot, SupervisorStatus } from "./types";

export interface SupervisorOptions {
  /** The supervisor's path in the tree (events' `supervisor` field). Default "root". */
  readonly path?: string;
  /** strategy (default "one_for_one"), intensity (3), periodMs (5000), backoff (none). */
  readonly flags?: SupervisorFlagsInput;
  /** Started in this order, stopped in reverse. */
  readonly children?: readonly ChildSpecInput[];
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Called on every child state change; a throwing listener is ignored. */
  readonly onEvent?: SupervisorEventSink;
  /** Source of backoff jitter in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

/** Validates everything, then starts the children in order; rejects if one fails to start (after stopping the others). */
export async function startSupervisor(options: SupervisorOptions = {}): Promise<Supervisor> {
  const path = options.path ?? "root";
  if (typeof path !== "string" || path.length === 0) {
    throw new SupervisorConfigError("FLAGS_INVALID", String(path), [{ path: "path", message: 'must be a non-empty string such as "root"' }]);
  }
  const flags = parseFlags(path, options.flags);
  const specs = parseChildSpecs(path, options.children ?? []);
  const sup = new TreeSupervisor(path, flags, options.clock ?? systemClock(), options.onEvent, options.random ?? Math.random);
  await sup.boot(specs);
  return sup;
}

/**
 * A start function for a nested supervisor: `{ id: "jobs", start: supervisor({ flags, children }) }`.
 * Its path is the parent's path plus the child id; clock, onEvent and random default to the parent's.
 * Flags and specs are validated here, when the tree is declared.
 */
export function supervisor(options: Omit<SupervisorOptions, "path"> = {}): StartFn {
  const flags = parseFlags("supervisor()", options.flags);
  const specs = parseChildSpecs("supervisor()", options.children ?? []);
  return markSupervisorStart(async (ctx) => {
    const sup = new TreeSupervisor(ctx.path, flags, options.clock ?? ctx.clock, options.onEvent ?? ctx.onEvent, options.random ?? ctx.random);
    await sup.boot(specs);
    return sup;
  });
}

class TreeSupervisor implements Supervisor {
  readonly exit: Promise<ExitReason>;
  private resolveExit!: (reason: ExitReason) => void;
  private status: SupervisorStatus = "starting";
  private readonly children: ChildRecord[] = [];
  private readonly byId = new Map<string, ChildRecord>();
  private readonly window: RestartWindow;
  private readonly timers = new Set<TimerHandle>();
  private readonly groups = new Map<number, ChildRecord[]>();
  private tokens = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private ending: Promise<ShutdownReport> | undefined;

  constructor(
    readonly path: string,
    private readonly flags: SupervisorFlags,
    private readonly clock: Clock,
    private readonly onEvent: SupervisorEventSink | undefined,
    private readonly random: () => number,
  ) {
    this.window = new RestartWindow(flags.periodMs);
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }

  // ---- public API -------------------------------------------------------------------------

  async boot(specs: readonly ChildSpec[]): Promise<void> {
    await this.serial(async () => {
      for (const spec of specs) {
        if (this.status !== "starting") return;
        const record = this.add(spec);
        const failure = await this.launch(record);
        if (failure) {
          record.lastError = describeError(failure.error);
          this.set(record, "failed");
          const error = new ChildStartError(this.path, spec.id, failure.error, "; the children started before it were stopped in reverse order");
          await this.fail(error);
          throw error;
        }
      }
      if (this.status === "starting") this.status = "running";
    });
  }

  snapshot(): SupervisorSnapshot {
    const { strategy, intensity, periodMs } = this.flags;
    const restartsInPeriod = this.window.count(this.clock.now());
    return { path: this.path, strategy, intensity, periodMs, state: this.status, restartsInPeriod, children: this.children.map(childSnapshot) };
  }

  async startChild(input: ChildSpecInput): Promise<ChildSnapshot> {
    const spec = parseChildSpec(this.path, input, "startChild");
    return this.serial(async () => {
      this.assertRunning("startChild");
      const existing = this.byId.get(spec.id);
      if (existing) {
        throw new SupervisorConfigError("DUPLICATE_CHILD_ID", this.path, [
          { path: `startChild "${spec.id}".id`, message: `is already a child (${existing.state}); pick another id, or terminateChild + deleteChild it first` },
        ]);
      }
      const record = this.add(spec);
      const failure = await this.launch(record);
      if (failure) {
        record.lastError = describeError(failure.error);
        this.set(record, "failed");
        this.remove(record);
        throw new ChildStartError(this.path, spec.id, failure.error);
      }
      return childSnapshot(record);
    });
  }

  terminateChild(id: string): Promise<ShutdownReport> {
    return this.serial(async () => {
      this.assertRunning("terminateChild");
      const record = this.get(id);
      const abandoned: AbandonedChild[] = [];
      if (record.handle) this.set(record, this.settle(record, await this.stopChild(record, "terminate"), abandoned));
      else if (record.state === "restarting") {
        record.pending = 0;
        this.set(record, "stopped");
      }
      if (record.spec.restart === "temporary") this.remove(record);
      return { abandoned };
    });
  }

  restartChild(id: string): Promise<ChildSnapshot> {
    return this.serial(async () => {
      this.assertRunning("restartChild");
      const record = this.get(id);
      if (record.state !== "stopped" && record.state !== "failed") {
        throw new ChildStateError(this.path, id, record.state, "only a stopped or failed child can be restarted; call terminateChild first");
      }
      record.restarts++;
      const failure = await this.launch(record);
      if (failure) {
        record.lastError = describeError(failure.error);
        this.set(record, "failed");
        throw new ChildStartError(this.path, id, failure.error);
      }
      return childSnapshot(record);
    });
  }

  deleteChild(id: string): Promise<void> {
    return this.serial(async () => {
      this.assertRunning("deleteChild");
      const record = this.get(id);
      if (record.state !== "stopped" && record.state !== "failed") {
        throw new ChildStateError(this.path, id, record.state, "call terminateChild before deleteChild");
      }
      this.remove(record);
    });
  }

  stop(reason: StopReason = "shutdown"): Promise<ShutdownReport> {
    if (this.ending) return this.ending;
    this.status = "stopping";
    this.cancelTimers();
    this.ending = this.serial(() => this.shutdownAll(reason)).then((report) => {
      this.finish("stopped", SHUTDOWN);
      return report;
    });
    return this.ending;
  }

  // ---- exits and restarts -----------------------------------------------------------------

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private watch(record: ChildRecord, handle: NonNullable<ChildRecord["handle"]>): void {
    const gen = record.gen;
    const onExit = (reason: ExitReason) => {
      if (record.gen !== gen || record.handle === undefined) return;
      this.serial(() => this.handleExit(record, gen, reason)).catch(this.internalFailure);
    };
    Promise.resolve(handle.exit).then(onExit, (error: unknown) => onExit({ kind: "error", error }));
  }

  private async handleExit(record: ChildRecord, gen: number, reason: ExitReason): Promise<void> {
    if (this.status !== "running" || record.gen !== gen || record.handle === undefined) return;
    record.handle = undefined;
    if (reason.kind === "error") record.lastError = describeError(reason.error);
    if (!shouldRestart(record.spec.restart, reason)) {
      this.set(record, reason.kind === "error" ? "failed" : "stopped");
      if (record.spec.restart === "temporary") this.remove(record);
      return;
    }
    await this.restart(record, reason.kind === "error" ? reason.error : `exited (${reason.kind})`);
  }

  /** Counts the restart, escalates beyond the intensity, else stops the group and schedules its start. */
  private async restart(crashed: ChildRecord, cause: unknown): Promise<void> {
    const now = this.clock.now();
    if (this.window.record(now, crashed.spec.id) > this.flags.intensity) {
      this.set(crashed, "failed");
      return this.fail(new RestartIntensityError(this.path, this.flags.intensity, this.flags.periodMs, crashed.spec.id, cause));
    }
    const group = restartGroup(this.flags.strategy, this.children, crashed);
    for (let i = group.length - 1; i >= 0; i--) {
      const sibling = group[i]!;
      if (sibling !== crashed && sibling.handle) this.settle(sibling, await this.stopChild(sibling, "restart"), []);
    }
    const token = ++this.tokens;
    const members: ChildRecord[] = [];
    for (const child of group) {
      if (child !== crashed && child.spec.restart === "temporary") {
        this.set(child, "stopped");
        this.remove(child);
        continue;
      }
      child.pending = token;
      members.push(child);
      this.set(child, "restarting");
    }
    this.groups.set(token, members);
    const { backoff } = this.flags;
    const wait = backoff ? backoffDelay(backoff, this.window.countFor(now, crashed.spec.id), this.random) : 0;
    if (wait <= 0) return this.startGroup(token);
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.serial(() => this.startGroup(token)).catch(this.internalFailure);
    }, wait);
    this.timers.add(timer);
  }

  /** Starts, in order, the members of a restart group still waiting on this token. */
  private async startGroup(token: number): Promise<void> {
    const members = this.groups.get(token);
    this.groups.delete(token);
    if (!members || this.status !== "running") return;
    for (const child of members) {
      if (child.pending !== token) continue;
      child.pending = 0;
      child.restarts++;
      const failure = await this.launch(child);
      if (failure) {
        child.lastError = describeError(failure.error);
        return this.restart(child, failure.error);
      }
      if (this.status !== "running") return;
    }
  }

  // ---- starting and stopping children -----------------------------------------------------

  private async launch(record: ChildRecord): Promise<{ error: unknown } | undefined> {
    this.set(record, "starting");
    const started = await startHandle(record);
    if ("error" in started) return started;
    record.handle = started.handle;
    record.gen++;
    record.startedAt = this.clock.now();
    this.set(record, "running");
    this.watch(record, started.handle);
    return undefined;
  }

  private stopChild(record: ChildRecord, reason: StopReason): Promise<StopOutcome> {
    const handle = record.handle!;
    record.handle = undefined;
    record.gen++;
    this.set(record, "stopping");
    return stopHandle(handle, reason, record.spec.shutdownMs, this.clock);
  }

  /** Records a stop's outcome on the child; returns the state it ends in. */
  private settle(record: ChildRecord, outcome: StopOutcome, abandoned: AbandonedChild[]): ChildState {
    if (outcome.kind === "stopped") {
      if (outcome.report) abandoned.push(...outcome.report.abandoned);
      return "stopped";
    }
    const { id, shutdownMs } = record.spec;
    if (outcome.kind === "abandoned") {
      record.lastError = describeError(new ShutdownTimeoutError(this.path, id, shutdownMs));
      abandoned.push({ supervisor: this.path, child: id, shutdownMs });
    } else {
      record.lastError = describeError(new ChildStopError(this.path, id, outcome.error));
    }
    return "failed";
  }

  private async shutdownAll(reason: StopReason): Promise<ShutdownReport> {
    const abandoned: AbandonedChild[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) {
      const child = this.children[i]!;
      if (child.handle) this.set(child, this.settle(child, await this.stopChild(child, reason), abandoned));
      else if (child.state === "restarting" || child.state === "starting") {
        child.pending = 0;
        this.set(child, "stopped");
      }
    }
    this.groups.clear();
    return { abandoned };
  }

  /** A bug inside an operation: give up like an escalation rather than leave the tree half-handled. */
  private readonly internalFailure = (error: unknown): void => {
    this.serial(() => this.fail(error)).catch(() => undefined);
  };

  /** Gives up: stops every child in reverse order and exits with `error` for the parent to handle. */
  private async fail(error: unknown): Promise<void> {
    if (this.ending) return;
    this.status = "stopping";
    this.cancelTimers();
    const report = this.shutdownAll("shutdown");
    this.ending = report;
    await report;
    this.finish("failed", { kind: "error", error });
  }

  private finish(status: SupervisorStatus, reason: ExitReason): void {
    if (this.status === "stopped" || this.status === "failed") return;
    this.status = status;
    this.resolveExit(reason);
  }

  // ---- bookkeeping ------------------------------------------------------------------------

  private add(spec: ChildSpec): ChildRecord {
    const ctx = { path: `${this.path}/${spec.id}`, id: spec.id, clock: this.clock, onEvent: this.onEvent, random: this.random };
    const record = newRecord(spec, ctx);
    this.children.push(record);
    this.byId.set(spec.id, record);
    return record;
  }

  private remove(record: ChildRecord): void {
    const at = this.children.lastIndexOf(record);
    if (at >= 0) this.children.splice(at, 1);
    this.byId.delete(record.spec.id);
  }

  private get(id: string): ChildRecord {
    const record = this.byId.get(id);
    if (!record) throw new ChildNotFoundError(this.path, id, [...this.byId.keys()]);
    return record;
  }

  private assertRunning(operation: string): void {
    if (this.status !== "running") throw new SupervisorNotRunningError(this.path, this.status, operation);
  }

  private cancelTimers(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private set(record: ChildRecord, state: ChildState): void {
    record.state = state;
    if (!this.onEvent) return;
    try {
      this.onEvent({
        supervisor: this.path,
        child: record.spec.id,
        state,
        restarts: record.restarts,
        lastError: record.lastError,
        at: new Date(this.clock.now()).toISOString(),
      });
    } catch {
      // A failing listener must not break supervision.
    }
  }
}
