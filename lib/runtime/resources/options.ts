// Options are zod-parsed data with documented defaults; the first problem becomes a
// ResourceOptionError naming the component, the option's path, the value received and what it accepts.

import { z } from "zod";
import { ResourceOptionError } from "./errors";

export function parseOptions<S extends z.ZodType>(component: string, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const at = valueAt(input, issue.path);
    const known = knownKeys(schema, issue.path);
    const path = [...issue.path, issue.keys[0]!];
    throw new ResourceOptionError(component, pathText(path), (at as Record<string, unknown>)[issue.keys[0]!], `is not an option${known ? `; options: ${known}` : ""}`);
  }
  throw new ResourceOptionError(component, pathText(issue.path) || "(options)", valueAt(input, issue.path), issue.message);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function pathText(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) text += typeof key === "number" ? `[${key}]` : text === "" ? String(key) : `.${String(key)}`;
  return text;
}

function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string {
  if (path.length > 0 || !(schema instanceof z.ZodObject)) return "";
  return Object.keys(schema.shape).join(", ");
}

// Shared option pieces.
export const positiveInt = (what: string) => z.number({ message: `must be ${what}` }).int({ message: `must be ${what}` }).positive({ message: `must be ${what}` });
export const nonNegativeInt = (what: string) => z.number({ message: `must be ${what}` }).int({ message: `must be ${what}` }).nonnegative({ message: `must be ${what}` });
export const milliseconds = (what = "a whole number of milliseconds > 0") => positiveInt(what);
/** An object passed through untouched (a client, a ledger, a clock), checked only for the named methods. */
export const withMethods = <T>(what: string, ...methods: readonly string[]) =>
  z.custom<T>(
    (v) => v !== null && (typeof v === "object" || typeof v === "function") && methods.every((m) => typeof (v as Record<string, unknown>)[m] === "function"),
    { message: `must be ${what} (an object with ${methods.join(", ")})` },
  );
export const fn = <T>(what: string) => z.custom<T>((v) => typeof v === "function", { message: `must be ${what}` });
