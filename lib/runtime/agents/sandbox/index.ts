// The sandbox: untrusted JavaScript in QuickJS compiled to WebAssembly, with time, memory and
// stack limits, no host access, a fresh context per run, and tests checked outside the guest.
// Runs happen in a small pool of worker threads with a hard deadline (pool.ts): the host's event
// loop never runs guest code. Tests close the pool in afterAll with closeSandboxPool().
export { runInSandbox } from "./run-in-sandbox";
export { runTests } from "./run-tests";
export { closeSandboxPool, configureSandboxPool, sandboxPoolStats, sandboxWasmBytes } from "./pool";
export type { SandboxPoolOptions, SandboxPoolStats } from "./pool";
export { SandboxOptionsError } from "./errors";
export type { SandboxOptions, SandboxResult, SandboxError, SandboxErrorKind, SandboxLog, SandboxTest, TestOutcome, TestReport } from "./types";
