// Streams the values of a JSON reply's top-level keys as they arrive: string values character by
// character (unescaped), other values (numbers, lists, objects) as their JSON text once complete.
// Text before the first "{" (e.g. a ```json fence) is skipped; keys that are not outputs are ignored.
import type { Signature } from "../signatures";
import type { FieldDelta, FieldStreamParser } from "./types";

type State = "before" | "key-wait" | "key" | "colon" | "value-wait" | "string" | "raw" | "done";

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };

export function createJsonStreamParser(signature: Signature): FieldStreamParser {
  const outputs = new Set(signature.outputs.map((f) => f.name));
  let state: State = "before";
  let key = "";
  let escape: string | null = null;
  let raw = "";
  let rawDepth = 0;
  let rawInString = false;
  let rawEscaped = false;
  let out: FieldDelta[] = [];

  const add = (text: string): void => {
    if (!outputs.has(key) || text === "") return;
    const last = out[out.length - 1];
    if (last && last.field === key) out[out.length - 1] = { field: key, text: last.text + text };
    else out.push({ field: key, text });
  };

  /** Handles one character of a JSON string; returns the decoded text, or null when the string ended. */
  const stringChar = (c: string): string | null => {
    if (escape !== null) {
      if (escape === "") {
        if (c === "u") {
          escape = "u";
          return "";
        }
        escape = null;
        return ESCAPES[c] ?? c;
      }
      escape += c;
      if (escape.length < 5) return "";
      const code = parseInt(escape.slice(1), 16);
      escape = null;
      return Number.isNaN(code) ? "" : String.fromCharCode(code);
    }
    if (c === "\\") {
      escape = "";
      return "";
    }
    return c === '"' ? null : c;
  };

  const endRaw = (): void => {
    add(raw.trim());
    raw = "";
  };

  const step = (c: string): void => {
    switch (state) {
      case "before":
        if (c === "{") state = "key-wait";
        return;
      case "key-wait":
        if (c === '"') {
          key = "";
          state = "key";
        } else if (c === "}") state = "done";
        return;
      case "key": {
        const d = stringChar(c);
        if (d === null) state = "colon";
        else key += d;
        return;
      }
      case "colon":
        if (c === ":") state = "value-wait";
        return;
      case "value-wait":
        if (/\s/.test(c)) return;
        if (c === '"') {
          state = "string";
          return;
        }
        state = "raw";
        raw = "";
        rawDepth = 0;
        rawInString = false;
        rawEscaped = false;
        step(c);
        return;
      case "string": {
        const d = stringChar(c);
        if (d === null) state = "key-wait";
        else add(d);
        return;
      }
      case "raw":
        if (rawInString) {
          if (rawEscaped) rawEscaped = false;
          else if (c === "\\") rawEscaped = true;
          else if (c === '"') rawInString = false;
        } else if (c === '"') rawInString = true;
        else if (c === "{" || c === "[") rawDepth++;
        else if (c === "}" || c === "]") {
          if (rawDepth === 0) {
            endRaw();
            state = "done";
            return;
          }
          rawDepth--;
        } else if (c === "," && rawDepth === 0) {
          endRaw();
          state = "key-wait";
          return;
        }
        raw += c;
        return;
      case "done":
        return;
    }
  };

  return {
    push(chunk: string) {
      out = [];
      for (const c of chunk) step(c);
      return out;
    },
    end() {
      out = [];
      if (state === "raw") endRaw();
      return out;
    },
  };
}
