// Writes output values in the format the adapter asked for: field markers or one JSON object.
import type { DemoField } from "./field-lines";

/** A value as text inside a marker block: strings as they are, everything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function markerReply(fields: readonly DemoField[], values: Readonly<Record<string, unknown>>): string {
  const blocks = fields.map((f) => `[[ ## ${f.name} ## ]]\n${valueText(values[f.name])}\n\n`);
  return `${blocks.join("")}[[ ## completed ## ]]`;
}

export function jsonReply(fields: readonly DemoField[], values: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, values[f.name] ?? null])), null, 2);
}

/** Ax's "key: value" lines, one per output field, with the wire keys Ax asked for. */
export function axLinesReply(fields: readonly DemoField[], values: Readonly<Record<string, unknown>>, wireKeys: Readonly<Record<string, string>>): string {
  return fields.map((f) => `${wireKeys[f.name] ?? f.name}: ${valueText(values[f.name])}`).join("\n");
}

/** One JSON object keyed by Ax's wire keys. */
export function axJsonReply(fields: readonly DemoField[], values: Readonly<Record<string, unknown>>, wireKeys: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(fields.map((f) => [wireKeys[f.name] ?? f.name, values[f.name] ?? null])), null, 2);
}

/** The first field's text inside ``` fences (how GEPA's free-text reflection asks for an instruction). */
export function fencedReply(fields: readonly DemoField[], values: Readonly<Record<string, unknown>>): string {
  const first = fields[0];
  return `\`\`\`\n${first ? valueText(values[first.name]) : ""}\n\`\`\``;
}
