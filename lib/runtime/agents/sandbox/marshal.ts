// Crossing the boundary: guest values to host text, guest errors to typed SandboxErrors, and the
// host-side deep equality behind assertEqual. Nothing here hands a host object to the guest.
import type { SandboxError } from "./types";

const STACK_FRAMES = 5;
/** Error messages and stacks longer than this are cut (a guest may throw a 20 MiB message). */
export const MAX_ERROR_CHARS = 4096;
const MEMORY = /out of memory|string too long/i;

function shortStack(stack: unknown): string | undefined {
  if (typeof stack !== "string" || stack.trim() === "") return undefined;
  const lines = stack.split("\n").filter((l) => l.trim() !== "");
  const kept = lines.slice(0, STACK_FRAMES).join("\n");
  return cap(lines.length > STACK_FRAMES ? `${kept}\n    … ${lines.length - STACK_FRAMES} more frames` : kept);
}

/** Text cut at MAX_ERROR_CHARS, saying how much was left out. */
export function cap(text: string, max = MAX_ERROR_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export interface ErrorContext {
  readonly interrupted: boolean;
  readonly limits: { readonly timeoutMs: number; readonly memoryBytes: number; readonly stackBytes: number };
}

/** A dumped guest exception as a typed error; the interrupt flag wins (the deadline passed). */
export function errorFromDump(dumped: unknown, ctx: ErrorContext): SandboxError {
  if (ctx.interrupted) return { kind: "timeout", message: `timed out after ${ctx.limits.timeoutMs} ms (the run was interrupted)` };
  if (dumped === null || dumped === undefined) {
    // QuickJS throws null when it cannot even allocate the error object.
    return { kind: "memory", message: `out of memory (the limit is ${ctx.limits.memoryBytes} bytes)` };
  }
  if (typeof dumped === "object" && "message" in dumped) {
    const { name, message, stack } = dumped as { name?: unknown; message?: unknown; stack?: unknown };
    const text = cap(`${typeof name === "string" ? name : "Error"}: ${String(message)}`);
    const trace = shortStack(stack);
    const withStack = (e: SandboxError): SandboxError => (trace ? { ...e, stack: trace } : e);
    if (name === "SyntaxError") return withStack({ kind: "syntax", message: text });
    if (MEMORY.test(String(message))) return withStack({ kind: "memory", message: `${text} (the limit is ${ctx.limits.memoryBytes} bytes)` });
    if (/stack overflow/i.test(String(message))) return withStack({ kind: "runtime", message: `${text} (the stack limit is ${ctx.limits.stackBytes} bytes)` });
    return withStack({ kind: "runtime", message: text });
  }
  return { kind: "runtime", message: cap(`uncaught ${JSON.stringify(dumped) ?? String(dumped)}`) };
}

/** Structural equality of JSON-like values (NaN equals NaN; key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A value as short text for an assertion message. */
export function preview(value: unknown, max = 200): string {
  const text = value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
