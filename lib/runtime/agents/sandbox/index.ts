// The sandbox: untrusted JavaScript in QuickJS compiled to WebAssembly, with time, memory and
// stack limits, no host access, a fresh context per run, and tests checked on the host.
export { runInSandbox } from "./run-in-sandbox";
export { runTests } from "./run-tests";
export { sandboxWasmBytes } from "./quickjs";
export { SandboxOptionsError } from "./errors";
export type { SandboxOptions, SandboxResult, SandboxError, SandboxErrorKind, SandboxLog, SandboxTest, TestOutcome, TestReport } from "./types";
