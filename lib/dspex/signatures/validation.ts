// Validation of input and output values against a signature's fields. The per-field checkers are
// built once per signature; a call only walks the fields (this runs on every prediction).
import type { z } from "zod";
import { InputValidationError, OutputValidationError, type FieldIssue } from "../errors";
import type { Field, Values } from "./types";
import { preview } from "./text-parsing";

interface Checker {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly optional: boolean;
  readonly variable?: { readonly default: unknown };
  readonly example: string;
}

export interface Validators {
  readonly inputs: readonly Checker[];
  readonly outputs: readonly Checker[];
  readonly inputNames: ReadonlySet<string>;
}

const EXAMPLES: Record<string, string> = { string: '"..."', number: "0", integer: "0", boolean: "true", probability: "0.5", confidence: "0.5", score: "0", list: "[...]", json: "{...}", embedding: "[...]" };

function checker(f: Field): Checker {
  return {
    name: f.name,
    schema: f.type.schema,
    optional: f.optional,
    ...(f.variable ? { variable: f.variable } : {}),
    example: f.type.kind === "labels" ? JSON.stringify(f.type.labels?.[0]?.value ?? "") : (EXAMPLES[f.type.kind] ?? "..."),
  };
}

export function buildValidators(inputs: readonly Field[], outputs: readonly Field[]): Validators {
  return { inputs: inputs.map(checker), outputs: outputs.map(checker), inputNames: new Set(inputs.map((f) => f.name)) };
}

const ARTICLE: Record<string, string> = { string: "a string", number: "a number", boolean: "a boolean", array: "an array", object: "an object", int: "an integer", bigint: "a bigint" };

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function unit(origin: unknown): string {
  return origin === "array" || origin === "set" ? " items" : origin === "string" ? " characters" : "";
}

/** One zod issue as a clause: `must be a number; received "abc"`, `item 2 must be at most 1; received 1.5`. */
export function issueText(issue: z.core.$ZodIssue, value: unknown): string {
  const where = issue.path.length ? `${issue.path.length === 1 && typeof issue.path[0] === "number" ? `item ${issue.path[0]}` : `at ${issue.path.map(String).join(".")}`} ` : "";
  const received = preview(valueAt(value, issue.path));
  let what: string;
  switch (issue.code) {
    case "invalid_type":
      what = `must be ${ARTICLE[issue.expected] ?? issue.expected}`;
      break;
    case "too_big":
      what = `must be ${issue.inclusive === false ? "below" : "at most"} ${String(issue.maximum)}${unit(issue.origin)}`;
      break;
    case "too_small":
      what = `must be ${issue.inclusive === false ? "above" : "at least"} ${String(issue.minimum)}${unit(issue.origin)}`;
      break;
    case "invalid_value":
      what = `must be one of: ${issue.values.map(String).join(", ")}`;
      break;
    default:
      what = `is invalid (${issue.message})`;
  }
  return `${where}${what}; received ${received}`;
}

function check(c: Checker, value: unknown, issues: FieldIssue[], out: Values): void {
  const r = c.schema.safeParse(value);
  if (r.success) out[c.name] = r.data;
  else issues.push({ field: c.name, message: r.error.issues.map((i) => issueText(i, value)).join(", ") });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function validateInputValues<I>(v: Validators, values: unknown, module: string): I {
  if (!isRecord(values)) {
    const names = v.inputs.map((c) => c.name).join(", ");
    throw new InputValidationError(module, [{ field: "(all)", message: `must be passed as an object with the inputs ${names}; received ${preview(values)}` }]);
  }
  const issues: FieldIssue[] = [];
  const out: Values = {};
  for (const key in values) {
    if (!v.inputNames.has(key) && values[key] !== undefined) {
      issues.push({ field: key, message: `is not an input of this signature; known inputs: ${[...v.inputNames].join(", ") || "(none)"}` });
    }
  }
  for (const c of v.inputs) {
    const value = values[c.name];
    if (value === undefined) {
      if (c.variable) out[c.name] = c.variable.default;
      else if (!c.optional) issues.push({ field: c.name, message: `is missing; pass it, e.g. { ${c.name}: ${c.example} }` });
      continue;
    }
    check(c, value, issues, out);
  }
  if (issues.length) throw new InputValidationError(module, issues);
  return out as I;
}

/** Unknown keys are dropped; null counts as absent (strict structured outputs send null for optional fields). */
export function validateOutputValues<O>(v: Validators, values: unknown, module: string): O {
  if (!isRecord(values)) {
    throw new OutputValidationError(module, [{ field: "(all)", message: `must be an object with the outputs ${v.outputs.map((c) => c.name).join(", ")}; received ${preview(values)}` }]);
  }
  const issues: FieldIssue[] = [];
  const out: Values = {};
  for (const c of v.outputs) {
    const value = values[c.name];
    if (value === undefined || value === null) {
      if (!c.optional) issues.push({ field: c.name, message: `is missing; the reply must include it` });
      continue;
    }
    check(c, value, issues, out);
  }
  if (issues.length) throw new OutputValidationError(module, issues);
  return out as O;
}
