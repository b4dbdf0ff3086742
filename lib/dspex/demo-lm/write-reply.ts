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
