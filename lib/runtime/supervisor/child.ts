// Helpers that turn ordinary async code into supervised children.
import type { ChildContext, ChildHandle, ExitReason, StartFn, StopReason } from "./types";

export const NORMAL: ExitReason = Object.freeze({ kind: "normal" });
export const SHUTDOWN: ExitReason = Object.freeze({ kind: "shutdown" });

function abortReason(reason: StopReason): DOMException {
  return new DOMException(`child stopped by its supervisor (${reason})`, "AbortError");
}

/**
 * A child that runs `fn` once: resolving is a normal exit, throwing or rejecting is a crash.
 * `stop(reason)` aborts the signal and waits for `fn` to settle; whatever it settles with while
 * stopping counts as a shutdown.
 */
export function task(fn: (signal: AbortSignal, ctx: ChildContext) => unknown): StartFn {
  return (ctx) => {
    const controller = new AbortController();
    let stopping = false;
    const run = new Promise<unknown>((resolve) => resolve(fn(controller.signal, ctx)));
    const exit = run.then(
      (): ExitReason => (stopping ? SHUTDOWN : NORMAL),
      (error: unknown): ExitReason => (stopping ? SHUTDOWN : { kind: "error", error }),
    );
    const handle: ChildHandle = {
      exit,
      async stop(reason) {
        if (!stopping) {
          stopping = true;
          controller.abort(abortReason(reason));
        }
        await exit;
      },
    };
    return Promise.resolve(handle);
  };
}

/** What a service's `start` may use to end on its own. */
export interface ServiceControl {
  readonly ctx: ChildContext;
  /** Reports a crash (e.g. from an "error" listener); the supervisor applies the restart policy. */
  fail(error: unknown): void;
  /** Reports a normal exit. */
  done(): void;
}

/**
 * A long-lived service: `start` builds the resource (throwing = failed start), `stop` tears it
 * down. The service ends on its own only through `control.fail(error)` or `control.done()`.
 */
export function service<T>(start: (control: ServiceControl) => Promise<T> | T, stop: (resource: T, reason: StopReason) => Promise<void> | void): StartFn {
  return async (ctx) => {
    let settle!: (reason: ExitReason) => void;
    let ended = false;
    const exit = new Promise<ExitReason>((resolve) => {
      settle = (reason) => {
        if (ended) return;
        ended = true;
        resolve(reason);
      };
    });
    const resource = await start({ ctx, fail: (error) => settle({ kind: "error", error }), done: () => settle(NORMAL) });
    let stopping: Promise<void> | undefined;
    return {
      exit,
      stop(reason) {
        stopping ??= (async () => {
          try {
            await stop(resource, reason);
          } finally {
            settle(SHUTDOWN);
          }
        })();
        return stopping;
      },
    };
  };
}
