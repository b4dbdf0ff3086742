// Dataset files (JSONL, CSV) -> examples, checked row by row. A file with any bad row imports
// nothing: the result lists every error (line, field, message) instead, never a partial import.
import { findTextProblem, jsonDepthExceeds } from "./text-guards";
import { fieldValueFromJson, InputValidationError, issueText, type Field, type Signature } from "../../dspex";
import { DatasetImportOptionsSchema, ExampleSplitSchema, type DatasetImportOptions, type ExampleSplit } from "../../schemas/datasets";
import { parseCsv, CsvSyntaxError } from "./csv";
import { parseInput } from "./parse-input";

export interface ImportRowError {
  /** 1-based line of the file (for CSV, the line where the record starts; the header is line 1). */
  readonly line: number;
  /** The column, key or field at fault (e.g. "input.question", "split"), when there is one. */
  readonly field?: string;
  readonly message: string;
}

export interface ImportedExample {
  readonly line: number;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly split: ExampleSplit;
}

export type DatasetImportResult =
  | { readonly ok: true; readonly examples: readonly ImportedExample[] }
  | {
      readonly ok: false;
      /** The first errors (at most MAX_IMPORT_ERRORS). */
      readonly errors: readonly ImportRowError[];
      /** How many errors there are in all. */
      readonly errorCount: number;
    };

export const MAX_IMPORT_ERRORS = 200;

type Target = { readonly kind: "input" | "output"; readonly name: string } | { readonly kind: "split" } | { readonly kind: "ignore" };

interface Context {
  readonly signature?: Signature;
  readonly mapping?: Readonly<Record<string, string>>;
  readonly defaultSplit: ExampleSplit;
  readonly errors: ImportRowError[];
  errorCount: number;
}

function report(ctx: Context, error: ImportRowError): void {
  ctx.errorCount++;
  if (ctx.errors.length < MAX_IMPORT_ERRORS) ctx.errors.push(error);
}

/**
 * Parses a JSONL or CSV dataset file into examples.
 *
 * - JSONL: one JSON object per line, either `{ "inputs": {...}, "outputs": {...}, "split"?: "train" }`
 *   or flat keys resolved like CSV columns. Blank lines are skipped.
 * - CSV (RFC 4180, header row): columns `input.<field>`, `output.<field>` and `split`; with a
 *   signature, bare field names too; `mapping` maps any column to a target (or "ignore").
 *
 * With a signature, inputs are checked (and CSV text converted) by the field types: every
 * required input present, no unknown field; outputs given are type-checked (unlabeled outputs
 * are allowed). Options are validated (INVALID store error); file problems come back as data.
 */
export function parseDatasetFile(text: string, options: DatasetImportOptions, signature?: Signature): DatasetImportResult {
  const o = parseInput(DatasetImportOptionsSchema, options, "dataset import");
  const ctx: Context = { signature, mapping: o.mapping, defaultSplit: o.defaultSplit, errors: [], errorCount: 0 };
  const examples = o.format === "csv" ? readCsv(text, ctx, o.maxRows) : readJsonl(text, ctx, o.maxRows);
  if (ctx.errorCount === 0 && examples.length === 0) report(ctx, { line: 1, message: "the file holds no examples" });
  return ctx.errorCount > 0 ? { ok: false, errors: ctx.errors, errorCount: ctx.errorCount } : { ok: true, examples };
}

/** Where a column or key goes, or an error message. */
function resolveTarget(column: string, ctx: Context): Target | string {
  const key = column.trim();
  if (ctx.mapping) {
    const mapped = ctx.mapping[key];
    if (mapped === undefined) return `column "${key}" is not in the mapping; map it to input.<field>, output.<field>, split or ignore`;
    return checkField(parseTarget(mapped)!, key, ctx);
  }
  const explicit = parseTarget(key);
  if (explicit && explicit.kind !== "ignore") return checkField(explicit, key, ctx);
  const sig = ctx.signature;
  if (sig?.inputs.some((f) => f.name === key)) return { kind: "input", name: key };
  if (sig?.outputs.some((f) => f.name === key)) return { kind: "output", name: key };
  return `column "${key}" is not a known field; name it input.<field>, output.<field> or split${sig ? ` (inputs: ${names(sig.inputs)}; outputs: ${names(sig.outputs)})` : ""}, or pass a mapping`;
}

function parseTarget(text: string): Target | undefined {
  if (text === "split") return { kind: "split" };
  if (text === "ignore") return { kind: "ignore" };
  const m = /^(input|output)s?\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  return m ? { kind: m[1] as "input" | "output", name: m[2]! } : undefined;
}

function checkField(target: Target, column: string, ctx: Context): Target | string {
  const sig = ctx.signature;
  if (!sig || (target.kind !== "input" && target.kind !== "output")) return target;
  const fields = target.kind === "input" ? sig.inputs : sig.outputs;
  if (fields.some((f) => f.name === target.name)) return target;
  return `column "${column}": "${target.name}" is not an ${target.kind} of the program (${target.kind}s: ${names(fields)})`;
}

const names = (fields: readonly Field[]) => fields.map((f) => f.name).join(", ") || "(none)";

function readCsv(text: string, ctx: Context, maxRows: number): ImportedExample[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      report(ctx, { line: err.line, message: err.message.replace(/^line \d+: /, "") });
      return [];
    }
    throw err;
  }
  const header = records[0];
  if (!header) return [];
  const targets = resolveColumns(header.fields, header.line, ctx);
  if (!targets) return [];
  const rows = records.slice(1);
  if (rows.length > maxRows) {
    report(ctx, { line: rows[maxRows]!.line, message: `the file has ${rows.length} rows; at most ${maxRows} can be imported at once` });
    return [];
  }
  const out: ImportedExample[] = [];
  for (const record of rows) {
    if (record.fields.length !== header.fields.length) {
      report(ctx, { line: record.line, message: `has ${record.fields.length} fields, the header has ${header.fields.length}` });
      continue;
    }
    const cells = new Map<Target, string>();
    record.fields.forEach((value, i) => cells.set(targets[i]!, value));
    const example = buildExample(record.line, cells, "text", ctx);
    if (example) out.push(example);
  }
  return out;
}

/** The target of each header column, or undefined (errors reported) when the header is unusable. */
function resolveColumns(columns: readonly string[], line: number, ctx: Context): Target[] | undefined {
  const before = ctx.errorCount;
  const targets = columns.map((column) => resolveColumnOrReport(column, line, ctx));
  const seen = new Map<string, string>();
  columns.forEach((column, i) => {
    const t = targets[i];
    if (!t || t.kind === "ignore") return;
    const id = t.kind === "split" ? "split" : `${t.kind}.${t.name}`;
    const other = seen.get(id);
    if (other !== undefined) report(ctx, { line, field: column.trim(), message: `columns "${other}" and "${column.trim()}" both fill ${id}` });
    seen.set(id, column.trim());
  });
  if (ctx.mapping) {
    for (const key of Object.keys(ctx.mapping)) {
      if (!columns.some((c) => c.trim() === key)) report(ctx, { line, field: key, message: `the mapping names column "${key}", which the file does not have` });
    }
  }
  for (const field of ctx.signature?.inputs ?? []) {
    if (field.optional || field.variable) continue;
    if (!seen.has(`input.${field.name}`)) report(ctx, { line, field: `input.${field.name}`, message: `no column gives the required input "${field.name}"` });
  }
  return ctx.errorCount > before ? undefined : (targets as Target[]);
}

function resolveColumnOrReport(column: string, line: number, ctx: Context): Target | undefined {
  const t = resolveTarget(column, ctx);
  if (typeof t === "string") {
    report(ctx, { line, field: column.trim(), message: t });
    return undefined;
  }
  return t;
}

/** Deepest nesting of one JSONL row (deeper rows could not be stored or shown). */
const MAX_ROW_DEPTH = 64;

function readJsonl(text: string, ctx: Context, maxRows: number): ImportedExample[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const out: ImportedExample[] = [];
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const line = i + 1;
    if (++rows > maxRows) {
      report(ctx, { line, message: `the file has more than ${maxRows} rows; at most ${maxRows} can be imported at once` });
      return [];
    }
    if (jsonDepthExceeds(raw, MAX_ROW_DEPTH)) {
      report(ctx, { line, message: `nests arrays or objects more than ${MAX_ROW_DEPTH} levels deep` });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      report(ctx, { line, message: `is not valid JSON (${err instanceof Error ? err.message : String(err)})` });
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      report(ctx, { line, message: "must be a JSON object, e.g. {\"inputs\": {...}, \"outputs\": {...}}" });
      continue;
    }
    const unstorable = findTextProblem(value);
    if (unstorable) {
      report(ctx, { line, field: unstorable.field, message: unstorable.message });
      continue;
    }
    // Every problem of the row is reported: bad keys, then values and the split.
    const before = ctx.errorCount;
    const example = buildExample(line, jsonlCells(value as Record<string, unknown>, line, ctx), "json", ctx);
    if (example && ctx.errorCount === before) out.push(example);
  }
  return out;
}

/** A JSONL object's values by target: the nested shape, or flat keys resolved like columns. */
function jsonlCells(obj: Record<string, unknown>, line: number, ctx: Context): Map<Target, unknown> {
  const cells = new Map<Target, unknown>();
  if ("inputs" in obj && !ctx.mapping) {
    for (const [key, value] of Object.entries(obj)) {
      if (key === "inputs" || key === "outputs") {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          if (key === "outputs" && (value === undefined || value === null)) continue;
          report(ctx, { line, field: key, message: "must be an object of field values" });
          continue;
        }
        const kind = key === "inputs" ? "input" : "output";
        for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
          const t = checkField({ kind, name }, `${kind}.${name}`, ctx);
          if (typeof t === "string") report(ctx, { line, field: `${kind}.${name}`, message: t.replace(/^column "[^"]*": /, "") });
          else cells.set(t, v);
        }
      } else if (key === "split") cells.set({ kind: "split" }, value);
      else if (key !== "id") report(ctx, { line, field: key, message: 'is not allowed beside "inputs"; use "inputs", "outputs", "split" (and "id")' });
    }
  } else {
    for (const [key, value] of Object.entries(obj)) {
      const t = resolveTarget(key, ctx);
      if (typeof t === "string") report(ctx, { line, field: key, message: t.replace(/^column/, "key") });
      else if (t.kind !== "ignore") cells.set(t, value);
    }
  }
  return cells;
}

/** One example from its cells: values converted and checked against the signature, split read. */
function buildExample(line: number, cells: ReadonlyMap<Target, unknown>, source: "text" | "json", ctx: Context): ImportedExample | undefined {
  const before = ctx.errorCount;
  const inputs: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  let split = ctx.defaultSplit;
  for (const [target, raw] of cells) {
    if (target.kind === "ignore") continue;
    if (target.kind === "split") {
      const text = typeof raw === "string" ? raw.trim() : raw;
      if (text === "" || text === undefined || text === null) continue;
      const parsed = ExampleSplitSchema.safeParse(text);
      if (parsed.success) split = parsed.data;
      else report(ctx, { line, field: "split", message: `must be train, validation or test; received ${JSON.stringify(raw)}` });
      continue;
    }
    if (source === "text" && raw === "") continue; // an empty cell is an absent value
    const value = convert(target, raw, line, source, ctx);
    if (value !== undefined) (target.kind === "input" ? inputs : outputs)[target.name] = value;
  }
  const sig = ctx.signature;
  if (sig) {
    checkInputs(sig, inputs, line, ctx);
    checkOutputs(sig, outputs, line, ctx);
  }
  return ctx.errorCount > before ? undefined : { line, inputs, outputs, split };
}

/** A cell's value: CSV text turned into the field's type (numbers, booleans, lists) when a signature says it. */
function convert(target: { kind: "input" | "output"; name: string }, raw: unknown, line: number, source: "text" | "json", ctx: Context): unknown {
  const field = ctx.signature && (target.kind === "input" ? ctx.signature.inputs : ctx.signature.outputs).find((f) => f.name === target.name);
  if (!field) return raw;
  try {
    return source === "text" ? field.type.fromText(raw as string) : fieldValueFromJson(field.type, raw);
  } catch (err) {
    report(ctx, { line, field: `${target.kind}.${target.name}`, message: `cannot be read as ${field.type.hint} (${err instanceof Error ? err.message : String(err)})` });
    return undefined;
  }
}

function checkInputs(sig: Signature, inputs: Record<string, unknown>, line: number, ctx: Context): void {
  try {
    const valid = sig.validateInputs(inputs, "dataset") as Record<string, unknown>;
    // Keep only what the row gave: a tunable input's default must not be pinned into the data.
    for (const key of Object.keys(inputs)) inputs[key] = valid[key];
  } catch (err) {
    if (!(err instanceof InputValidationError)) throw err;
    for (const issue of err.issues) report(ctx, { line, field: `input.${issue.field}`, message: issue.message });
  }
}

function checkOutputs(sig: Signature, outputs: Record<string, unknown>, line: number, ctx: Context): void {
  for (const [name, value] of Object.entries(outputs)) {
    const field = sig.outputs.find((f) => f.name === name);
    if (!field) continue; // unknown outputs were refused when the columns were resolved
    const parsed = field.type.schema.safeParse(value);
    if (parsed.success) outputs[name] = parsed.data;
    else report(ctx, { line, field: `output.${name}`, message: parsed.error.issues.map((i) => issueText(i, value)).join(", ") });
  }
}
