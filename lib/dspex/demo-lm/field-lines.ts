// Reads the field list an adapter writes into the system message:
//   - `name` (hint[, optional]): description
//     - label: label description          (only under a "one of" field)
// Hints are matched by keywords, so small changes of wording do not matter.
import type { FieldKind } from "../signatures/types";

export type DemoFieldKind = FieldKind;

export interface DemoLabel {
  readonly value: string;
  readonly description: string;
}

export interface DemoField {
  readonly name: string;
  readonly kind: DemoFieldKind;
  readonly hint: string;
  readonly description: string;
  readonly optional: boolean;
  readonly labels: readonly DemoLabel[];
  readonly min?: number;
  readonly max?: number;
  /** For lists: the kind of the items. */
  readonly itemKind?: DemoFieldKind;
  readonly dimensions?: number;
  /** For JSON objects described as "with keys: name (hint), …": the keys and their kinds. */
  readonly keys?: readonly { readonly name: string; readonly kind: DemoFieldKind }[];
}

const FIELD_LINE = /^\s*[-*]\s*`([^`]+)`\s*(.*)$/;
const LABEL_LINE = /^\s+[-*]\s*`?([^`:]+?)`?\s*:\s*(.*)$/;

/** The hint inside the first balanced parentheses, and what follows them. */
function splitHint(rest: string): { hint: string; tail: string } {
  if (!rest.startsWith("(")) return { hint: "", tail: rest };
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "(") depth++;
    else if (rest[i] === ")" && --depth === 0) return { hint: rest.slice(1, i), tail: rest.slice(i + 1) };
  }
  return { hint: rest.slice(1), tail: "" };
}

/** The kind a hint names: by its leading words ("score:", "list of", "one of:"), else by keywords. */
export function kindOfHint(hint: string): DemoFieldKind {
  const h = hint.toLowerCase().trim();
  const leading: readonly (readonly [RegExp, DemoFieldKind])[] = [
    [/^(list|array) of\b/, "list"],
    [/^embedding\b/, "embedding"],
    [/^one of\b|^labels?\b/, "labels"],
    [/^score\b/, "score"],
    [/^probability\b/, "probability"],
    [/^confidence\b/, "confidence"],
    [/^json\b|^object\b/, "json"],
    [/^bool(ean)?\b/, "boolean"],
    [/^int(eger)?\b/, "integer"],
    [/^(number|float)\b/, "number"],
    [/^(string|str|text)\b/, "string"],
  ];
  const lead = leading.find(([re]) => re.test(h))?.[1];
  if (lead) return lead;
  if (/\bembedding\b/.test(h)) return "embedding";
  if (/\b(list|array)\b/.test(h)) return "list";
  if (/\bone of\b/.test(h)) return "labels";
  if (/\bscore\b/.test(h)) return "score";
  if (/\bprobability\b/.test(h)) return "probability";
  if (/\bconfidence\b/.test(h)) return "confidence";
  if (/\bjson\b|\bobject\b/.test(h)) return "json";
  if (/\bbool(ean)?\b|true or false/.test(h)) return "boolean";
  if (/\bint(eger)?\b|whole number/.test(h)) return "integer";
  if (/\bnumber\b|\bfloat\b|\bnumeric\b/.test(h)) return "number";
  return "string";
}

function labelsInHint(hint: string): DemoLabel[] {
  const m = /one of\s*:?\s*(.*)$/i.exec(hint);
  if (!m?.[1]) return [];
  return m[1]
    .replace(/\s*\(.*$/, "")
    .split(/\s*[,|]\s*/)
    .map((v) => v.replace(/^["'`]|["'`]$/g, "").trim())
    .filter((v) => v.length > 0)
    .map((value) => ({ value, description: "" }));
}

/** Bounds written as "from A to B", "of at least A" or "of at most B". */
function boundsOf(hint: string): { min?: number; max?: number } {
  const n = String.raw`(-?\d+(?:\.\d+)?)`;
  const range = new RegExp(`from ${n}(?:\\s*\\([^)]*\\))? to ${n}`, "i").exec(hint);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  const least = new RegExp(`at least ${n}`, "i").exec(hint);
  const most = new RegExp(`at most ${n}`, "i").exec(hint);
  return { ...(least ? { min: Number(least[1]) } : {}), ...(most ? { max: Number(most[1]) } : {}) };
}

function buildField(name: string, rest: string): DemoField {
  const { hint: rawHint, tail } = splitHint(rest.trim());
  const optional = /,\s*optional\s*$/i.test(rawHint) || /^\s*optional\s*$/i.test(rawHint);
  const hint = rawHint.replace(/,?\s*optional\s*$/i, "").trim();
  const kind = kindOfHint(hint);
  const field: DemoField = {
    name,
    kind,
    hint,
    description: tail.replace(/^\s*:\s*/, "").trim(),
    optional,
    labels: kind === "labels" ? labelsInHint(hint) : [],
  };
  if (kind === "score" || kind === "probability" || kind === "confidence") {
    const { min = 0, max = kind === "score" ? 10 : 1 } = boundsOf(hint);
    return { ...field, min, max };
  }
  if (kind === "number" || kind === "integer") return { ...field, ...boundsOf(hint) };
  if (kind === "json") {
    const list = /\bkeys?\s*:\s*(.*)$/i.exec(hint)?.[1] ?? "";
    const keys = [...list.matchAll(/([A-Za-z_][\w-]*)\s*\(((?:[^()]|\([^()]*\))*)\)/g)].map((m) => ({ name: m[1]!, kind: kindOfHint(m[2]!.replace(/,\s*optional\s*$/i, "")) }));
    return keys.length > 0 ? { ...field, keys } : field;
  }
  if (kind === "embedding") {
    const dims = Number(/(\d+)\s*(numbers|dimensions|floats)/i.exec(hint)?.[1] ?? /\d+/.exec(hint)?.[0] ?? 8);
    return { ...field, dimensions: Math.max(1, Math.min(4096, dims)) };
  }
  if (kind === "list") {
    const item = /\b(?:list|array) of\s+(.*)$/i.exec(hint)?.[1] ?? "string";
    const itemKind = kindOfHint(item.replace(/\s*\(json array[^)]*\)\s*$/i, ""));
    const between = /(\d+) to (\d+) items/i.exec(hint);
    const exactly = /exactly (\d+) items/i.exec(hint);
    const least = /at least (\d+) items/i.exec(hint);
    const most = /at most (\d+) items/i.exec(hint);
    const min = between ? Number(between[1]) : exactly ? Number(exactly[1]) : least ? Number(least[1]) : undefined;
    const max = between ? Number(between[2]) : exactly ? Number(exactly[1]) : most ? Number(most[1]) : undefined;
    const labels = item.toLowerCase().startsWith("one of") ? labelsInHint(item) : [];
    return { ...field, itemKind, labels, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  return field;
}

/** Parses the field lines of one section (the lines after "Input fields:" or "Output fields:"). */
export function parseFieldLines(lines: readonly string[]): DemoField[] {
  const fields: DemoField[] = [];
  for (const line of lines) {
    const labelMatch = LABEL_LINE.exec(line);
    const last = fields[fields.length - 1];
    if (labelMatch && last?.kind === "labels" && /^\s{2,}/.test(line) && !line.includes("`" + labelMatch[1] + "` (")) {
      const value = labelMatch[1]!.trim();
      const description = labelMatch[2]!.trim();
      const known = last.labels.some((l) => l.value === value);
      const labels = known ? last.labels.map((l) => (l.value === value ? { value, description } : l)) : [...last.labels, { value, description }];
      fields[fields.length - 1] = { ...last, labels };
      continue;
    }
    const m = FIELD_LINE.exec(line);
    if (m && /^\s{0,1}[-*]/.test(line)) fields.push(buildField(m[1]!.trim(), m[2] ?? ""));
  }
  return fields;
}
