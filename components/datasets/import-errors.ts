// The 400 answer of an import names each bad row as a field "rows.<line>[.<field>]"; these become
// table rows, the other fields stay next to their form fields.
import type { FieldErrors } from "@/lib/api/client";

export interface RowError {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export function splitImportErrors(fields: FieldErrors): { rows: RowError[]; form: Record<string, string> } {
  const rows: RowError[] = [];
  const form: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const m = /^rows\.(\d+)(?:\.(.+))?$/.exec(path);
    if (m) rows.push({ line: Number(m[1]), field: m[2] ?? "", message });
    else form[path] = message;
  }
  rows.sort((a, b) => a.line - b.line);
  return { rows, form };
}

/** The header row of a CSV text (RFC 4180 quoting), for the column mapping. */
export function csvHeader(text: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") break;
    else cell += c;
  }
  out.push(cell);
  return out.map((c) => c.trim()).filter((c, i, all) => c !== "" || all.length > 1);
}

export type ColumnKind = "input" | "output" | "split" | "ignore";

/** A column's default target: its explicit prefix, "split", or an input named after it. */
export function defaultKind(column: string): ColumnKind {
  if (/^inputs?\./.test(column)) return "input";
  if (/^outputs?\./.test(column)) return "output";
  if (column === "split") return "split";
  return "input";
}

/** The field a column fills: the name without its prefix, made into an identifier. */
export function fieldName(column: string): string {
  const bare = column.replace(/^(inputs?|outputs?)\./, "").replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[A-Za-z_]/.test(bare) ? bare : `f_${bare || "column"}`;
}

export function mappingOf(columns: readonly string[], kinds: Readonly<Record<string, ColumnKind>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const kind = kinds[c] ?? defaultKind(c);
    out[c] = kind === "input" || kind === "output" ? `${kind}.${fieldName(c)}` : kind;
  }
  return out;
}
