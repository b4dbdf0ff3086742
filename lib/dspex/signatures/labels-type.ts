// A fixed set of labels, each with an optional description. Reading is forgiving: case, spaces,
// quotes, a trailing period, a "Label:" prefix and a one-letter typo are all tolerated, as long as
// exactly one label fits.
import { z } from "zod";
import type { LabelOption } from "./types";
import { defineFieldType, type FieldTypeWithJson } from "./field-type";
import { closest } from "./suggest";
import { stripFences, unquote } from "./text-parsing";

function key(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();
}

function clean(text: string): string {
  let t = unquote(stripFences(text));
  t = t.replace(/^[\s*"'`]+|[\s*"'`.!,;:]+$/g, "");
  return unquote(t).trim();
}

/** Maps the model's text to one label, or returns the cleaned text when no single label fits. */
export function matchLabel(text: string, values: readonly string[]): string {
  const cleaned = clean(text);
  if (values.includes(cleaned)) return cleaned;
  const byKey = new Map(values.map((v) => [key(v), v]));
  const candidates = [cleaned];
  const prefixed = /^[^:\n]{1,40}:\s*(.+)$/s.exec(cleaned)?.[1];
  if (prefixed) candidates.push(clean(prefixed));
  for (const c of candidates) {
    const exact = byKey.get(key(c));
    if (exact !== undefined) return exact;
  }
  for (const c of candidates) {
    const near = closest(key(c), [...byKey.keys()]);
    if (near !== undefined) return byKey.get(near) ?? cleaned;
  }
  return cleaned;
}

export function labelsType(options: readonly LabelOption[], schema?: z.ZodType): FieldTypeWithJson {
  const values = options.map((o) => o.value);
  const fromText = (text: string): unknown => matchLabel(text, values);
  return defineFieldType({
    kind: "labels",
    schema: schema ?? z.enum(values as [string, ...string[]]),
    hint: `one of: ${values.join(", ")}`,
    jsonSchema: { type: "string", enum: values },
    fromText,
    fromJson: (value) => (typeof value === "string" ? fromText(value) : value),
    toText: String,
    labels: options,
  });
}

/** `["a", "b"]` or `{ a: "description", b: "description" }` -> label options. */
export function labelOptions(labels: readonly string[] | Readonly<Record<string, string>>): LabelOption[] {
  if (Array.isArray(labels)) return labels.map((value: string) => ({ value }));
  return Object.entries(labels).map(([value, description]) => (description ? { value, description } : { value }));
}
