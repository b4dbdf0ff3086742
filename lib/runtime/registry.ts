import type { Runtime } from "./runtime";

// server.ts creates the runtime; Next's route handlers and server components run in the same
// process but are bundled separately, so they find it through one well-known global slot.
const SLOT = Symbol.for("dspex.runtime");
type Holder = { [SLOT]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[SLOT] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[SLOT];
  if (!runtime) {
    throw new Error("The DSPEx runtime is not running in this process: start the app with `npm start` (server.ts), not `next start`");
  }
  return runtime;
}

export function findRuntime(): Runtime | undefined {
  return (globalThis as Holder)[SLOT];
}
