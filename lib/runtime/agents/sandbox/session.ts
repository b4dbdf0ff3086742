// One sandboxed session: a fresh QuickJS runtime (heap, stack and time limits) and context with
// only the globals injected here (console, input, test assertions). Everything is disposed at
// the end, whatever the guest did. The guest runs synchronously: a session blocks its (worker)
// thread until its time limit, or longer inside a long built-in, where the pool's hard deadline
// ends it.
import { type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten";
import { createGuestReader, type GuestReader } from "./guest-reader";
import { LOCKDOWN } from "./lockdown";
import { errorFromDump, MAX_ERROR_CHARS } from "./marshal";
import { discardQuickJS } from "./quickjs";
import type { SandboxError, SandboxLog } from "./types";

export interface SessionLimits {
  readonly timeoutMs: number;
  readonly memoryBytes: number;
  readonly stackBytes: number;
  readonly maxLogChars: number;
  /** A result (or an assertion's value) larger than this fails with kind "output". */
  readonly maxOutputBytes: number;
}

export type Evaluation = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SandboxError };

export interface Session {
  readonly vm: QuickJSContext;
  readonly logs: SandboxLog[];
  /** Reads guest values on the host through helpers captured before any guest code ran. */
  readonly reader: GuestReader;
  /**
   * Runs a script in the global scope; settles a returned promise; copies the value out on the
   * host (at most maxOutputBytes). With `discard`, only success or failure matters.
   */
  evaluate(code: string, filename: string, options?: { readonly discard?: boolean }): Evaluation;
  /** Freezes the built-ins before the guest runs (test sessions: the harness stays out of its reach). */
  lockdown(): void;
  /** Sets a global to a JSON value (parsed inside the guest). */
  setGlobalJson(name: string, value: unknown): void;
}

const LEVELS = ["log", "info", "warn", "error", "debug"] as const;

export const DEFAULT_LIMITS: SessionLimits = Object.freeze({ timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024, stackBytes: 256 * 1024, maxLogChars: 16_384, maxOutputBytes: 1024 * 1024 });

function installConsole(vm: QuickJSContext, reader: GuestReader, logs: SandboxLog[], maxChars: number): void {
  let used = 0;
  const console = vm.newObject();
  for (const level of LEVELS) {
    const fn = vm.newFunction(level, (...args: QuickJSHandle[]) => {
      if (used >= maxChars) return;
      const text = args.map((a) => reader.text(a, maxChars - used)).join(" ");
      const kept = text.slice(0, maxChars - used);
      used += kept.length;
      logs.push({ level, text: kept.length < text.length ? `${kept}… [log limit reached]` : kept });
    });
    vm.setProp(console, level, fn);
    fn.dispose();
  }
  vm.setProp(vm.global, "console", console);
  console.dispose();
}

/** The value of a handle, a settled promise's value or its rejection. */
function settle(rt: QuickJSRuntime, vm: QuickJSContext, handle: QuickJSHandle): { ok: true; handle: QuickJSHandle } | { ok: false; error: QuickJSHandle } {
  for (;;) {
    const jobs = rt.executePendingJobs();
    if (jobs.error) {
      handle.dispose();
      return { ok: false, error: jobs.error };
    }
    if (jobs.value === 0) break;
  }
  const state = vm.getPromiseState(handle);
  if (state.type === "fulfilled") {
    if (state.notAPromise) return { ok: true, handle };
    handle.dispose();
    return { ok: true, handle: state.value };
  }
  handle.dispose();
  if (state.type === "rejected") return { ok: false, error: state.error };
  return { ok: false, error: vm.newError({ name: "Error", message: "the script's promise never settled (the sandbox has no timers or I/O)" }) };
}

/** A thrown guest value as data for errorFromDump, every text capped. */
function readThrown(vm: QuickJSContext, reader: GuestReader, handle: QuickJSHandle): unknown {
  const read = reader.read(handle, MAX_ERROR_CHARS);
  if (read.ok) return read.value;
  if (vm.typeof(handle) !== "object") return reader.text(handle, MAX_ERROR_CHARS);
  const field = (name: string) => {
    const h = vm.getProp(handle, name);
    try {
      return vm.typeof(h) === "undefined" ? undefined : reader.text(h, MAX_ERROR_CHARS);
    } finally {
      h.dispose();
    }
  };
  return { name: field("name"), message: field("message"), stack: field("stack") };
}

function createSession(rt: QuickJSRuntime, vm: QuickJSContext, limits: SessionLimits, clock: { interrupted(): boolean; startClock(): void }): Session {
  const logs: SandboxLog[] = [];
  const reader = createGuestReader(vm);
  installConsole(vm, reader, logs, limits.maxLogChars);
  const fail = (errorHandle: QuickJSHandle): Evaluation => {
    let dumped: unknown;
    try {
      dumped = readThrown(vm, reader, errorHandle);
    } catch {
      dumped = undefined;
    } finally {
      errorHandle.dispose();
    }
    return { ok: false, error: errorFromDump(dumped, { interrupted: clock.interrupted(), limits }) };
  };
  return {
    vm,
    logs,
    reader,
    evaluate(code, filename, options = {}) {
      clock.startClock();
      const result = vm.evalCode(code, filename);
      if (result.error) return fail(result.error);
      const settled = settle(rt, vm, result.value);
      if (!settled.ok) return fail(settled.error);
      try {
        if (options.discard) return { ok: true, value: undefined };
        const read = reader.read(settled.handle, limits.maxOutputBytes);
        return read.ok ? { ok: true, value: read.value } : { ok: false, error: clock.interrupted() ? errorFromDump(undefined, { interrupted: true, limits }) : read.error };
      } finally {
        settled.handle.dispose();
      }
    },
    lockdown() {
      vm.unwrapResult(vm.evalCode(LOCKDOWN, "dspex:lockdown.js")).dispose();
    },
    setGlobalJson(name, value) {
      const text = vm.newString(JSON.stringify(value ?? null));
      const json = vm.getProp(vm.global, "JSON");
      const parse = vm.getProp(json, "parse");
      const parsed = vm.callFunction(parse, json, text);
      [text, json, parse].forEach((h) => h.dispose());
      const handle = vm.unwrapResult(parsed);
      vm.setProp(vm.global, name, handle);
      handle.dispose();
    },
  };
}

/** Runs `body` in a fresh runtime and context under the limits, then disposes both. */
export function withSession<T>(quickjs: QuickJSWASMModule, limits: SessionLimits, body: (session: Session) => T): T {
  const rt = quickjs.newRuntime();
  rt.setModuleLoader((name) => ({ error: new Error(`cannot load module "${name}": the sandbox has no modules`) }));
  let vm: QuickJSContext | undefined;
  let session: Session | undefined;
  try {
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.stackBytes);
    // The clock starts at the first guest evaluation, so setting up the context never counts.
    let deadlineAt: number | undefined;
    let fired = false;
    rt.setInterruptHandler(() => {
      if (deadlineAt !== undefined && Date.now() > deadlineAt) fired = true;
      return fired;
    });
    vm = rt.newContext();
    const startClock = () => {
      deadlineAt ??= Date.now() + limits.timeoutMs;
    };
    session = createSession(rt, vm, limits, { interrupted: () => fired, startClock });
    return body(session);
  } finally {
    try {
      session?.reader.dispose();
      vm?.dispose();
      rt.dispose();
    } catch {
      // The module aborted (it cannot free this runtime): never reuse it.
      discardQuickJS(quickjs);
    }
  }
}
