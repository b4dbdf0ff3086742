// Reads JSON out of model text: plain, fenced, embedded in prose, or slightly broken (jsonrepair).
import { jsonrepair } from "jsonrepair";

/** The first balanced `{...}` (or `[...]`) in the text, skipping brackets inside strings. */
export function extractBalanced(text: string, open: "{" | "[" = "{"): string | undefined {
  const close = open === "{" ? "}" : "]";
  const start = text.indexOf(open);
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

function tryParse(text: string): { ok: true; value: unknown } | undefined {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function tryRepair(text: string): { ok: true; value: unknown } | undefined {
  try {
    return tryParse(jsonrepair(text));
  } catch {
    return undefined;
  }
}

const FENCED = /```[\w+-]*[^\S\n]*\n?([\s\S]*?)```/;

/**
 * Parses JSON from a model's text. Tries, in order: the text as is, the inside of a code fence,
 * the first balanced object or array, then jsonrepair on each of those. `expect` picks which kind
 * of value to look for inside prose.
 */
export function parseJsonText(text: string, expect: "object" | "array" | "any" = "any"): { ok: true; value: unknown } | { ok: false } {
  const trimmed = text.trim();
  const direct = tryParse(trimmed);
  if (direct && matches(direct.value, expect)) return direct;
  const candidates: string[] = [];
  const fenced = FENCED.exec(trimmed)?.[1]?.trim();
  if (fenced) candidates.push(fenced);
  const opens: ("{" | "[")[] = expect === "object" ? ["{"] : expect === "array" ? ["["] : ["{", "["];
  for (const source of fenced ? [fenced, trimmed] : [trimmed]) {
    for (const open of opens) {
      const balanced = extractBalanced(source, open);
      if (balanced) candidates.push(balanced);
    }
  }
  for (const c of candidates) {
    const parsed = tryParse(c);
    if (parsed && matches(parsed.value, expect)) return parsed;
  }
  for (const c of [...candidates, trimmed]) {
    const start = firstOpen(c, opens);
    if (start < 0) continue;
    const repaired = tryRepair(c.slice(start));
    if (repaired && matches(repaired.value, expect)) return repaired;
  }
  return { ok: false };
}

function firstOpen(text: string, opens: readonly string[]): number {
  const found = opens.map((o) => text.indexOf(o)).filter((i) => i >= 0);
  return found.length ? Math.min(...found) : -1;
}

function matches(value: unknown, expect: "object" | "array" | "any"): boolean {
  if (expect === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  if (expect === "array") return Array.isArray(value);
  return true;
}
