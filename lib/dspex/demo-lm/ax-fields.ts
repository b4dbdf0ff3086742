// Reads the field lists of Ax's prompt (@ax-llm/ax 24.x, template "dsp/dspy.md"):
//   <identity>
//   You will be provided with the following fields: `Context`, `Question`. Your task is to generate new fields: `Answer`.
//   </identity>
//   <input_fields> … Context: A passage. … </input_fields>
//   <output_fields>
//   Answer (wire key: `answer`): (This string field must be included) The answer.
//   Category (wire key: `category`): (This classification class field must be included) Its category.
//   billing: Money matters …
//   other: Anything else.. Allowed values: billing, other
//   </output_fields>
// Titles are Ax's Title-case forms of the field names ("userQuestion" and "user_question" both
// become "User Question" / "User question"); wire keys are the names themselves.
import type { DemoField, DemoFieldKind, DemoLabel } from "./field-lines";

/** An output field together with the exact key Ax expects in the reply. */
export interface AxOutputField {
  readonly title: string;
  readonly wireKey: string;
  readonly field: DemoField;
}

/** "User Question" -> "user_question": the name the task recognisers match, case-insensitively. */
export function nameOfTitle(title: string): string {
  return title.trim().toLowerCase().replace(/\s+/g, "_");
}

/** The text between `<tag>` and `</tag>` ("" when absent). */
export function section(text: string, tag: string): string {
  const start = text.indexOf(`<${tag}>`);
  const end = text.indexOf(`</${tag}>`, start);
  return start < 0 || end < 0 ? "" : text.slice(start + tag.length + 2, end).trim();
}

/** The backticked titles after `phrase` in the identity line, up to the next full stop outside backticks. */
export function identityTitles(identity: string, phrase: RegExp): string[] {
  const m = phrase.exec(identity);
  if (!m) return [];
  const rest = identity.slice(m.index + m[0].length);
  const list = /^[^.]*?((?:\s*`[^`]+`\s*,?)+)/.exec(rest)?.[1] ?? "";
  return [...list.matchAll(/`([^`]+)`/g)].map((x) => x[1]!);
}

/** The kind an Ax type phrase names: "number", "boolean (true or false)", "json array of string items", … */
export function kindOfAxType(type: string): { kind: DemoFieldKind; itemKind?: DemoFieldKind } {
  const t = type.trim().toLowerCase();
  const array = /^(?:json )?array of (.+?)(?: items|s)?$/.exec(t);
  if (array) return { kind: "list", itemKind: kindOfAxType(array[1]!).kind };
  if (t.startsWith("number")) return { kind: "number" };
  if (t.startsWith("boolean")) return { kind: "boolean" };
  if (t.startsWith("classification") || t === "class") return { kind: "labels" };
  if (t.startsWith("json") || t.startsWith("object")) return { kind: "json" };
  return { kind: "string" };
}

const FIELD_HEAD = /^(.+?) \(wire key: `([^`]+)`\): \((?:This (.+?) field must be included|Only include this (.+?) field if its value is available)\)\s*(.*)$/;

/** Labels from "Allowed values: a, b, c" and their descriptions from "a: …" lines (Ax's describeValues). */
function labelsOf(lines: readonly string[]): DemoLabel[] {
  const text = lines.join("\n");
  const allowed = /Allowed values:\s*(.+)\s*$/.exec(text)?.[1];
  if (!allowed) return [];
  const values = allowed.split(/\s*,\s*/).map((v) => v.trim()).filter((v) => v.length > 0);
  const body = text.slice(0, text.lastIndexOf("Allowed values:")).replace(/\.\s*$/, "");
  return values.map((value) => {
    const line = body.split("\n").find((l) => l.trimStart().startsWith(`${value}: `));
    const description = line ? line.trimStart().slice(value.length + 2).trim() : "";
    return { value, description };
  });
}

function buildOutput(title: string, wireKey: string, type: string, optional: boolean, lines: readonly string[]): AxOutputField {
  const { kind, itemKind } = kindOfAxType(type);
  const labels = kind === "labels" || itemKind === "labels" ? labelsOf(lines) : [];
  const description = kind === "labels" ? (lines[0] ?? "").replace(/\s*Allowed values:.*$/, "").trim() : lines.join("\n").trim();
  const field: DemoField = {
    name: wireKey,
    kind,
    hint: type,
    description,
    optional,
    labels,
    ...(itemKind ? { itemKind } : {}),
  };
  return { title, wireKey, field };
}

/** The output fields of the `<output_fields>` section, in order. */
export function parseAxOutputFields(outputSection: string): AxOutputField[] {
  const out: AxOutputField[] = [];
  let current: { title: string; wireKey: string; type: string; optional: boolean; lines: string[] } | undefined;
  const flush = () => {
    if (current) out.push(buildOutput(current.title, current.wireKey, current.type, current.optional, current.lines));
    current = undefined;
  };
  for (const line of outputSection.split(/\r?\n/)) {
    const head = FIELD_HEAD.exec(line);
    if (head) {
      flush();
      current = { title: head[1]!.trim(), wireKey: head[2]!, type: head[3] ?? head[4] ?? "string", optional: head[4] !== undefined, lines: [head[5] ?? ""] };
    } else if (/^\*\*Exact JSON shape\*\*/.test(line)) {
      flush();
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return out;
}

/** Input titles from the `<input_fields>` lines ("Title: description"), for prompts without an identity line. */
export function inputTitlesOfSection(inputSection: string): string[] {
  return inputSection
    .split(/\r?\n/)
    .filter((l) => !l.startsWith("**"))
    .map((l) => /^([A-Z][A-Za-z0-9 ]*?):(?:\s|$)/.exec(l)?.[1])
    .filter((t): t is string => t !== undefined);
}

/**
 * Field values of one message written as "Title: value" lines: a value runs to the next line
 * starting with another known title. Each title is read once (the first occurrence wins).
 */
export function titledValues(text: string, titles: readonly string[]): Record<string, string> {
  const values: Record<string, string[]> = {};
  let open: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const title = titles.find((t) => !(t in values) && (line.startsWith(`${t}:`) || line.toLowerCase().startsWith(`${t.toLowerCase()}:`)));
    if (title !== undefined) {
      open = title;
      values[title] = [line.slice(title.length + 1).replace(/^ /, "")];
    } else if (open !== undefined) {
      values[open]!.push(line);
    }
  }
  return Object.fromEntries(Object.entries(values).map(([t, lines]) => [t, lines.join("\n").trim()]));
}
