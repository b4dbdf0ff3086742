// Request data checked against the shared zod schemas; problems become INVALID_REQUEST errors
// with one entry per field, and names that are not fields of the request are named as such.
import type { z } from "zod";
import type { ApiErrorField } from "../../schemas";
import { ServingError } from "./errors";

const ARTICLE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "an array",
  object: "an object",
  record: "an object",
  null: "null",
};

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function keysOf(schema: z.ZodType): string[] | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  return shape && typeof shape === "object" ? Object.keys(shape) : undefined;
}

/** One entry per field at fault; `root` names the whole value ("body", "query"). */
export function issuesToFields(issues: readonly z.core.$ZodIssue[], input: unknown, schema: z.ZodType, root: string): ApiErrorField[] {
  const fields: ApiErrorField[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const known = issue.path.length === 0 ? keysOf(schema) : undefined;
      for (const key of issue.keys) {
        fields.push({ field: path ? `${path}.${key}` : key, message: `is not a field of this ${root}${known ? `; fields: ${known.join(", ")}` : ""}` });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type") {
      const value = valueAt(input, issue.path);
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      message = value === undefined ? `is missing; it must be ${expected}` : `must be ${expected}; received ${preview(value)}`;
    }
    fields.push({ field: path || root, message });
  }
  return fields;
}

export function invalidRequest(what: string, fields: readonly ApiErrorField[]): ServingError {
  return new ServingError("INVALID_REQUEST", `${what}: ${fields.map((f) => `${f.field} ${f.message}`).join("; ")}`, fields);
}

/** Parses `input` with `schema`, or throws INVALID_REQUEST naming each field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, root: "body" | "query" | "path"): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidRequest(`the request ${root} does not fit`, issuesToFields(parsed.error.issues, input, schema, root));
}

/** The query string as an object (the first of repeated names), refusing names the route does not know. */
export function parseQuery<S extends z.ZodType>(schema: S, queryString: string): z.output<S> {
  const raw: Record<string, string> = {};
  if (queryString) {
    for (const [k, v] of new URLSearchParams(queryString)) if (!(k in raw)) raw[k] = v;
  }
  const known = keysOf(schema);
  if (known) {
    const unknown = Object.keys(raw).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw invalidRequest("the query string does not fit", unknown.map((k) => ({ field: k, message: `is not a parameter of this route; parameters: ${known.join(", ")}` })));
  }
  return parseWith(schema, raw, "query");
}

/** The path parameters, decoded, checked with the route's schema: a bad one is INVALID_REQUEST naming it. */
export function parseParams<S extends z.ZodType>(schema: S, params: Readonly<Record<string, string>>): z.output<S> {
  return parseWith(schema, params, "path");
}
