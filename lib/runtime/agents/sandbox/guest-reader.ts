// Reading guest values on the host, property by property, through helpers captured before any
// guest code ran. The guest's JSON.stringify, toJSON, prototypes and Symbol.toStringTag never
// decide what the host sees (a guest `Array.prototype.toJSON` cannot change a result or pass an
// assertion), and sizes are counted before anything is copied: a result over its byte budget,
// or an error message over its character cap, never leaves the worker whole.
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten";
import type { SandboxError } from "./types";

export type Read = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SandboxError };

export interface GuestReader {
  /** The value as JSON-like data (undefined, functions and symbols as JSON drops them), at most maxBytes of it. */
  read(handle: QuickJSHandle, maxBytes: number): Read;
  /** A guest value as text for messages and logs: strings as they are, others as JSON; cut at maxChars. */
  text(handle: QuickJSHandle, maxChars: number): string;
  /** JavaScript truthiness, decided on the host. */
  truthy(handle: QuickJSHandle): boolean;
  dispose(): void;
}

// Runs before the guest: the helpers close over the original built-ins, so later changes to
// Object.prototype, Function.prototype.call and the like do not reach them.
const HELPERS = `(() => {
  const apply = Reflect.apply, isArray = Array.isArray, tag = Object.prototype.toString, iso = Date.prototype.toISOString, slice = String.prototype.slice, E = Error;
  return {
    kind(v) {
      if (isArray(v)) return "array";
      const t = apply(tag, v, []);
      if (t === "[object Date]") { try { return "date:" + apply(iso, v, []) } catch { return "date:" } }
      if (t === "[object Error]" || v instanceof E) return "error";
      return "object";
    },
    len(s) { return s.length },
    cut(s, n) { return apply(slice, s, [0, n]) },
  };
})()`;

const MAX_DEPTH = 100;
const OMIT = Symbol("omit");

class TooLarge extends Error {}
class TooDeep extends Error {}

export function createGuestReader(vm: QuickJSContext): GuestReader {
  const helpers = vm.unwrapResult(vm.evalCode(HELPERS, "dspex:reader.js"));
  const fn = (name: string) => vm.getProp(helpers, name);
  const kindFn = fn("kind");
  const lenFn = fn("len");
  const cutFn = fn("cut");

  const call = (f: QuickJSHandle, ...args: QuickJSHandle[]): QuickJSHandle => vm.unwrapResult(vm.callFunction(f, vm.undefined, ...args));
  const stringLength = (h: QuickJSHandle): number => {
    const n = call(lenFn, h);
    try {
      return vm.getNumber(n);
    } finally {
      n.dispose();
    }
  };
  const prefix = (h: QuickJSHandle, chars: number): string => {
    const count = vm.newNumber(chars);
    const cut = call(cutFn, h, count);
    count.dispose();
    try {
      return vm.getString(cut);
    } finally {
      cut.dispose();
    }
  };
  const isNull = (h: QuickJSHandle) => vm.sameValue(h, vm.null);

  function value(h: QuickJSHandle, depth: number, budget: { left: number }): unknown {
    const spend = (n: number) => {
      budget.left -= n;
      if (budget.left < 0) throw new TooLarge();
    };
    switch (vm.typeof(h)) {
      case "string": {
        const length = stringLength(h);
        spend(length + 2);
        return vm.getString(h);
      }
      case "number":
        spend(8);
        return vm.getNumber(h);
      case "boolean":
        spend(5);
        return vm.sameValue(h, vm.true);
      case "bigint": {
        const text = vm.getBigInt(h).toString();
        spend(text.length);
        return text;
      }
      case "object":
        break;
      case "unknown":
        // An exception value: a getter threw while the host read it.
        throw new Error("a property getter threw while the result was read");
      default:
        return OMIT; // undefined, functions and symbols, as JSON drops them
    }
    if (isNull(h)) {
      spend(4);
      return null;
    }
    if (depth >= MAX_DEPTH) throw new TooDeep();
    const kindHandle = call(kindFn, h);
    const kind = vm.getString(kindHandle);
    kindHandle.dispose();
    if (kind.startsWith("date:")) {
      spend(kind.length);
      return kind.length > 5 ? kind.slice(5) : null;
    }
    if (kind === "array") {
      const lengthHandle = vm.getProp(h, "length");
      const length = vm.typeof(lengthHandle) === "number" ? vm.getNumber(lengthHandle) : 0;
      lengthHandle.dispose();
      spend(2 + length);
      const out: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const item = vm.getProp(h, i);
        try {
          const v = value(item, depth + 1, budget);
          out.push(v === OMIT ? null : v);
        } finally {
          item.dispose();
        }
      }
      return out;
    }
    const keys = kind === "error" ? ["name", "message", "stack"] : ownKeys(h);
    spend(2);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      spend(key.length + 3);
      const item = vm.getProp(h, key);
      try {
        const v = value(item, depth + 1, budget);
        if (v !== OMIT) out[key] = v;
      } finally {
        item.dispose();
      }
    }
    return out;
  }

  function ownKeys(h: QuickJSHandle): string[] {
    const names = vm.getOwnPropertyNames(h, { strings: true, numbersAsStrings: true, onlyEnumerable: true }).unwrap();
    try {
      return names.map((k) => vm.getString(k));
    } finally {
      names.dispose();
    }
  }

  return {
    read(h, maxBytes) {
      try {
        const v = value(h, 0, { left: maxBytes });
        return { ok: true, value: v === OMIT ? undefined : v };
      } catch (err) {
        if (err instanceof TooLarge) return { ok: false, error: { kind: "output", message: `the result is larger than ${maxBytes} bytes; return less, or raise maxOutputBytes` } };
        if (err instanceof TooDeep) return { ok: false, error: { kind: "output", message: `the result is nested deeper than ${MAX_DEPTH} levels (or refers to itself); return plain data` } };
        return { ok: false, error: { kind: "runtime", message: `the result could not be copied out: ${err instanceof Error ? err.message : String(err)}` } };
      }
    },
    text(h, maxChars) {
      try {
        if (vm.typeof(h) === "string") {
          const length = stringLength(h);
          return length > maxChars ? `${prefix(h, maxChars)}… (${length - maxChars} more characters)` : vm.getString(h);
        }
        const read = this.read(h, maxChars);
        if (!read.ok) return read.error.kind === "output" ? `[a value over ${maxChars} characters]` : `[${vm.typeof(h)}]`;
        if (typeof read.value === "string") return read.value;
        return JSON.stringify(read.value) ?? String(read.value);
      } catch {
        return `[${vm.typeof(h)}]`;
      }
    },
    truthy(h) {
      switch (vm.typeof(h)) {
        case "undefined":
          return false;
        case "boolean":
          return vm.sameValue(h, vm.true);
        case "number": {
          const n = vm.getNumber(h);
          return n !== 0 && !Number.isNaN(n);
        }
        case "string":
          return stringLength(h) > 0;
        case "bigint":
          return vm.getBigInt(h) !== 0n;
        case "object":
          return !isNull(h);
        default:
          return true;
      }
    },
    dispose() {
      for (const h of [kindFn, lenFn, cutFn, helpers]) h.dispose();
    },
  };
}
