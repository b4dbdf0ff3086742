// Small, forgiving readers for what models write: fenced blocks, numbers in prose, yes/no, lists.

const FENCE = /^```[\w+-]*[^\S\n]*\n?([\s\S]*?)\n?[^\S\n]*```$/;

/** Trims the text and removes one surrounding code fence, inline backticks, or bold markers. */
export function stripFences(text: string): string {
  let t = text.trim();
  const fence = FENCE.exec(t);
  if (fence) t = (fence[1] ?? "").trim();
  if (t.length >= 2 && t.startsWith("`") && t.endsWith("`") && !t.slice(1, -1).includes("`")) t = t.slice(1, -1).trim();
  if (t.length >= 4 && t.startsWith("**") && t.endsWith("**")) t = t.slice(2, -2).trim();
  return t;
}

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** The first number in the text ("0.8", "about 1,200", "7/10" -> 7), with whether it ends in "%". */
export function readNumber(text: string): { value: number; percent: boolean } | undefined {
  const t = stripFences(text);
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(t); m; m = NUMBER.exec(t)) {
    const raw = m[0];
    if (!/\d/.test(raw)) {
      NUMBER.lastIndex = m.index + Math.max(1, raw.length);
      continue;
    }
    const value = Number(raw.replace(/,/g, ""));
    if (!Number.isFinite(value)) return undefined;
    const percent = /^\s*%/.test(t.slice(m.index + raw.length));
    return { value, percent };
  }
  return undefined;
}

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "correct", "right", "t"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "incorrect", "wrong", "f"]);

/** "yes", "True.", "**no**", "Yes, because..." -> boolean; undefined when it is neither. */
export function readBoolean(text: string): boolean | undefined {
  const t = stripFences(text).toLowerCase();
  const whole = t.replace(/[^a-z0-9]+/g, "");
  if (TRUE_WORDS.has(whole)) return true;
  if (FALSE_WORDS.has(whole)) return false;
  const first = /^[^a-z0-9]*([a-z0-9]+)/.exec(t)?.[1];
  if (first && TRUE_WORDS.has(first) && first !== "1" && first !== "t") return true;
  if (first && FALSE_WORDS.has(first) && first !== "0" && first !== "f") return false;
  return undefined;
}

const BULLET = /^\s*(?:[-*+•]|\d+[.)])\s+/;

/**
 * Items of a list written as bullets ("- a"), numbers ("1. a"), one per line, or on one line
 * separated by commas. (JSON arrays are read by the caller first.)
 */
export function splitListText(text: string): string[] {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  if (lines.some((l) => BULLET.test(l))) {
    return lines.filter((l) => BULLET.test(l)).map((l) => l.replace(BULLET, "").trim());
  }
  if (lines.length > 1) return lines;
  return (lines[0] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Removes one pair of matching quotes around a value. */
export function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/** A short, safe rendering of a value for error messages. */
export function preview(value: unknown, max = 80): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (value === undefined) s = "undefined";
  else if (typeof value === "function") s = "a function";
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
