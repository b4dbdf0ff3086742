// Checks on every request's data before any schema, handler or database sees it: JSON nesting is
// measured on the raw text (a deep document would overflow the parser's or zod's recursion), every
// string is scanned once for NUL (PostgreSQL refuses it in text) and lone surrogates (not encodable
// as UTF-8), and a program's inputs are held to per-field and per-request sizes. Each problem names
// its field.
import type { IncomingMessage } from "node:http";
import { findTextProblem, jsonDepthExceeds, textProblem } from "../store";
import { ServingError } from "./errors";

export interface InputLimits {
  /** Deepest nesting of arrays and objects in a JSON body. */
  readonly maxJsonDepth: number;
  /** Longest value of one program input field, in characters (strings) or JSON characters (other values). */
  readonly maxInputFieldChars: number;
  /** Longest input of one prediction, all fields together. */
  readonly maxInputChars: number;
}

function fail(code: "PAYLOAD_TOO_LARGE" | "INVALID_REQUEST" | "INVALID_JSON" | "UNSUPPORTED_MEDIA_TYPE", field: string, message: string): never {
  throw new ServingError(code, `${field} ${message}`, [{ field, message }]);
}

export function checkJsonDepth(text: string, limits: Pick<InputLimits, "maxJsonDepth">): void {
  if (jsonDepthExceeds(text, limits.maxJsonDepth)) fail("INVALID_JSON", "body", `nests arrays or objects more than ${limits.maxJsonDepth} levels deep`);
}

/** Every string in a parsed body (keys included), or throws naming the first field at fault. */
export function checkStrings(value: unknown): void {
  const found = findTextProblem(value);
  if (found) fail("INVALID_REQUEST", found.field || "body", found.message);
}

/** Query and path parameters: the same checks, named by parameter. */
export function checkParams(values: Iterable<readonly [string, string]>): void {
  for (const [name, v] of values) {
    const problem = textProblem(v);
    if (problem) fail("INVALID_REQUEST", name, problem);
  }
}

/** A program's inputs against the per-field and per-request sizes (413 naming the field). */
export function checkInputSize(input: Readonly<Record<string, unknown>>, limits: InputLimits, prefix: string): void {
  let total = 0;
  for (const [name, value] of Object.entries(input)) {
    const size = typeof value === "string" ? value.length : (JSON.stringify(value) ?? "").length;
    if (size > limits.maxInputFieldChars) fail("PAYLOAD_TOO_LARGE", `${prefix}.${name}`, `is ${size} characters long; the limit is ${limits.maxInputFieldChars} per field`);
    total += size;
  }
  if (total > limits.maxInputChars) fail("PAYLOAD_TOO_LARGE", prefix, `is ${total} characters long in all; the limit is ${limits.maxInputChars} per input`);
}

/**
 * Bodies are JSON. A form's or text/plain content type is what a cross-site page can send without
 * a preflight, so it is refused wherever it appears; `strict` routes (signing in) also refuse a
 * body that names no type.
 */
export function requireJson(req: IncomingMessage, strict: boolean): void {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type === undefined || type === "") {
    if (strict) fail("UNSUPPORTED_MEDIA_TYPE", "content-type", "is missing; send the body as JSON with content-type: application/json");
    return;
  }
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) fail("UNSUPPORTED_MEDIA_TYPE", "content-type", `is ${type}; send the body as JSON with content-type: application/json`);
}
