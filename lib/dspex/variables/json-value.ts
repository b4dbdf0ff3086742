import { z } from "zod";
import type { JsonValue } from "./types";

export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** A stable text key for a JSON value (object keys sorted), to compare values by content. */
export function jsonKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || jsonKey(a) === jsonKey(b);
}

/** Index of a value among choices, by content; -1 when absent. */
export function indexOfValue(choices: readonly JsonValue[], value: unknown): number {
  const i = choices.indexOf(value as JsonValue);
  if (i !== -1) return i;
  const key = jsonKey(value);
  return choices.findIndex((c) => jsonKey(c) === key);
}
