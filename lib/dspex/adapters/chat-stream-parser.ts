// Streams field text out of a chat-format reply as it arrives. A marker split across chunks is
// held back until it is complete; each field's text is emitted without its leading and trailing
// whitespace, so the deltas of a field join to the same text the final parse reads.
import type { Signature } from "../signatures";
import type { FieldDelta, FieldStreamParser } from "./types";
import { COMPLETED, MARKER_PATTERN } from "./markers";

const FULL = new RegExp(MARKER_PATTERN.source);

/** Matches any proper prefix of a marker ("[", "[[ #", "[[ ## ans", "[[ ## answer ## ]"). */
const PARTIAL = (() => {
  const pieces = ["\\[", "\\s*", "#", "#", "\\s*", "[A-Za-z_][A-Za-z0-9_]*", "\\s*", "#", "#", "\\s*", "\\]"];
  let tail = "";
  for (const piece of [...pieces].reverse()) tail = `(?:${piece}${tail})?`;
  return new RegExp(`^\\[${tail}$`);
})();

function partialMarkerStart(text: string): number {
  for (let i = text.lastIndexOf("["); i >= 0 && text.length - i <= 200; i = text.lastIndexOf("[", i - 1)) {
    if (PARTIAL.test(text.slice(i))) {
      // Keep the earliest "[" that still starts a possible marker (e.g. "[[" rather than its second "[").
      let start = i;
      while (start > 0 && text[start - 1] === "[" && PARTIAL.test(text.slice(start - 1))) start--;
      return start;
    }
    if (i === 0) break;
  }
  return text.length;
}

export function createChatStreamParser(signature: Signature): FieldStreamParser {
  const byLower = new Map(signature.outputs.map((f) => [f.name.toLowerCase(), f.name]));
  const seen = new Set<string>();
  let buffer = "";
  let current: string | null = null;
  let started = false;
  let pendingSpace = "";
  let done = false;

  const emit = (text: string, out: FieldDelta[]): void => {
    if (current === null || text === "") return;
    let t = text;
    if (!started) {
      t = t.replace(/^\s+/, "");
      if (t === "") return;
      started = true;
    }
    const combined = pendingSpace + t;
    const trailing = /\s*$/.exec(combined)?.[0] ?? "";
    pendingSpace = trailing;
    const body = combined.slice(0, combined.length - trailing.length);
    if (body === "") return;
    const last = out[out.length - 1];
    if (last && last.field === current) out[out.length - 1] = { field: current, text: last.text + body };
    else out.push({ field: current, text: body });
  };

  const onMarker = (name: string): void => {
    const lower = name.toLowerCase();
    if (lower === COMPLETED) {
      done = true;
      current = null;
      return;
    }
    const field = byLower.get(lower);
    current = field !== undefined && !seen.has(field) ? field : null;
    if (current !== null) seen.add(current);
    started = false;
    pendingSpace = "";
  };

  const drain = (final: boolean): FieldDelta[] => {
    const out: FieldDelta[] = [];
    while (!done) {
      const m = FULL.exec(buffer);
      if (m) {
        emit(buffer.slice(0, m.index), out);
        onMarker(m[1] ?? "");
        buffer = buffer.slice(m.index + m[0].length);
        continue;
      }
      const hold = final ? buffer.length : partialMarkerStart(buffer);
      emit(buffer.slice(0, hold), out);
      buffer = buffer.slice(hold);
      break;
    }
    if (done) buffer = "";
    return out;
  };

  return {
    push: (chunk: string) => {
      buffer += chunk;
      return drain(false);
    },
    end: () => drain(true),
  };
}
