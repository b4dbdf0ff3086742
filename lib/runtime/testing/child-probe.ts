// A controllable child for supervisor tests: counts starts and stops, writes them to a shared
// log, and crashes, exits, refuses to start or ignores stop() on demand.
import type { ChildHandle, ExitReason, StartFn, StopReason } from "../supervisor";

export class ChildProbe {
  starts = 0;
  readonly stopReasons: StopReason[] = [];
  /** The next `failStarts` starts throw `startError` (synchronously when `throwSync`). */
  failStarts = 0;
  startError: unknown = new Error("start failed");
  throwSync = false;
  /** When true, stop() never settles (the supervisor must abandon the child). */
  ignoreStop = false;
  /** When set, stop() rejects with it. */
  stopError: unknown = undefined;
  private settle: ((reason: ExitReason) => void) | undefined;

  constructor(
    readonly id: string,
    readonly log: string[] = [],
  ) {}

  readonly start: StartFn = (() => {
    this.starts++;
    this.log.push(`start:${this.id}`);
    if (this.failStarts > 0) {
      this.failStarts--;
      if (this.throwSync) throw this.startError;
      return Promise.reject(this.startError);
    }
    let settled = false;
    let settle!: (reason: ExitReason) => void;
    const exit = new Promise<ExitReason>((resolve) => {
      settle = (reason) => {
        if (settled) return;
        settled = true;
        resolve(reason);
      };
    });
    this.settle = settle;
    const handle: ChildHandle = {
      exit,
      stop: (reason) => {
        this.log.push(`stop:${this.id}`);
        this.stopReasons.push(reason);
        if (this.ignoreStop) return new Promise<void>(() => undefined);
        if (this.stopError !== undefined) return Promise.reject(this.stopError);
        settle({ kind: "shutdown" });
        return Promise.resolve();
      },
    };
    return Promise.resolve(handle);
  }) as StartFn;

  /** Ends the current incarnation with an error. */
  crash(error: unknown = new Error(`${this.id} crashed`)): void {
    this.current()({ kind: "error", error });
  }

  /** Ends the current incarnation normally. */
  exitNormally(): void {
    this.current()({ kind: "normal" });
  }

  private current(): (reason: ExitReason) => void {
    if (!this.settle) throw new Error(`ChildProbe "${this.id}" was never started`);
    return this.settle;
  }
}

/** Probes sharing one log: `const { log, probe } = probeSet("a", "b"); probe.a.crash()`. */
export function probeSet<const K extends string>(...ids: K[]): { log: string[]; probe: Record<K, ChildProbe> } {
  const log: string[] = [];
  const probe = {} as Record<K, ChildProbe>;
  for (const id of ids) probe[id] = new ChildProbe(id, log);
  return { log, probe };
}
