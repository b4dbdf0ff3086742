// Turns an LMRequest built by a DSPEx adapter back into its parts: instructions, typed fields,
// the demos, the inputs of the current question and the reply format asked for.
import type { ChatMessage, JsonSchema, LMRequest } from "../lm/types";
import { type DemoField, type DemoFieldKind, parseFieldLines } from "./field-lines";

export interface DemoPair {
  readonly inputs: Readonly<Record<string, string>>;
  /** The demo's outputs when the assistant turn was written in marker or JSON form. */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface DemoRequest {
  /** The instructions: the system text before the field lists ("" when none). */
  readonly instructions: string;
  readonly inputFields: readonly DemoField[];
  readonly outputFields: readonly DemoField[];
  /** The current inputs, by field name, as the text the adapter wrote. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The text of the user message holding the current inputs (what the question is, not how it was asked). */
  readonly questionText: string;
  readonly demos: readonly DemoPair[];
  /** True when the reply must be one JSON object. */
  readonly wantsJson: boolean;
  /** The outputs' JSON schema when the request carried one. */
  readonly schema?: JsonSchema;
  /** True when nothing in the request looked like an adapter's format: answer in plain text. */
  readonly plain: boolean;
}

/** The start of the user turn an adapter adds after a reply it could not use. */
const RETRY = /^\s*Your previous reply could not be used/i;

const MARKER = /\[\[\s*##\s*([^#\]]+?)\s*##\s*\]\]/g;

/**
 * Marker blocks of a message: `[[ ## name ## ]]` then the text up to the next marker; a final
 * "Respond with ..." line and everything after it is not part of any block.
 */
export function markerBlocks(content: string): Record<string, string> {
  const blocks: Record<string, string> = {};
  const respond = /^[^\S\n]*Respond with\b/im.exec(content);
  const body = respond ? content.slice(0, respond.index) : content;
  const matches = [...body.matchAll(MARKER)];
  matches.forEach((m, i) => {
    const name = m[1]!.trim();
    if (name === "completed" || name in blocks) return;
    const start = m.index! + m[0].length;
    const end = matches[i + 1]?.index ?? body.length;
    blocks[name] = body.slice(start, end).trim();
  });
  return blocks;
}

function jsonBlocks(content: string): Record<string, string> {
  const start = content.indexOf("{");
  const end = content.lastIndexOf("}");
  if (start < 0 || end <= start) return {};
  try {
    const parsed: unknown = JSON.parse(content.slice(start, end + 1));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}

interface SystemParts {
  instructions: string;
  inputFields: DemoField[];
  outputFields: DemoField[];
  asksJson: boolean;
}

function readSystem(text: string): SystemParts {
  const lines = text.split(/\r?\n/);
  const isHeader = (re: RegExp) => lines.findIndex((l) => re.test(l.trim()));
  const inputAt = isHeader(/^(input fields|inputs)\s*:?$/i);
  const outputAt = isHeader(/^(output fields|outputs)\s*:?$/i);
  const firstHeader = [inputAt, outputAt].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const instructions = (firstHeader === undefined ? "" : lines.slice(0, firstHeader).join("\n")).trim();
  const section = (from: number) => {
    if (from < 0) return [];
    const out: string[] = [];
    for (const line of lines.slice(from + 1)) {
      if (/^(input fields|output fields|inputs|outputs)\s*:?$/i.test(line.trim())) break;
      if (line.trim() !== "" && !/^\s*[-*]/.test(line)) break;
      out.push(line);
    }
    return out;
  };
  const tail = lines.slice(Math.max(inputAt, outputAt) + 1).filter((l) => !/^\s*[-*]\s*`/.test(l)).join("\n");
  return {
    instructions,
    inputFields: parseFieldLines(section(inputAt)),
    outputFields: parseFieldLines(section(outputAt)),
    asksJson: /\bJSON object\b/i.test(tail),
  };
}

function kindOfSchema(schema: unknown): DemoFieldKind {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown };
  if (Array.isArray(s.enum)) return "labels";
  switch (s.type) {
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "array":
      return "list";
    case "object":
      return "json";
    default:
      return "string";
  }
}

/** Output fields read from a JSON schema, for requests that carry no field list. */
function fieldsFromSchema(schema: JsonSchema | undefined): DemoField[] {
  const props = (schema?.properties ?? {}) as Record<string, { enum?: unknown[]; description?: string }>;
  return Object.entries(props).map(([name, prop]) => ({
    name,
    kind: kindOfSchema(prop),
    hint: "",
    description: prop.description ?? "",
    optional: false,
    labels: Array.isArray(prop.enum) ? prop.enum.map((v) => ({ value: String(v), description: "" })) : [],
  }));
}

function lastIndexWhere(messages: readonly ChatMessage[], test: (m: ChatMessage) => boolean): number {
  for (let i = messages.length - 1; i >= 0; i--) if (test(messages[i]!)) return i;
  return -1;
}

export function readRequest(request: LMRequest): DemoRequest {
  const messages = request.messages;
  const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n\n");
  const parts = readSystem(system);
  const schema = request.responseFormat?.type === "json_schema" ? request.responseFormat.schema : undefined;
  const outputFields = parts.outputFields.length > 0 ? parts.outputFields : fieldsFromSchema(schema);
  const inputNames = new Set(parts.inputFields.map((f) => f.name));
  const holdsInputs = (m: ChatMessage) =>
    m.role === "user" && !RETRY.test(m.content) && [...m.content.matchAll(MARKER)].some((x) => inputNames.size === 0 || inputNames.has(x[1]!.trim()));
  let at = lastIndexWhere(messages, holdsInputs);
  if (at < 0) at = lastIndexWhere(messages, (m) => m.role === "user" && !RETRY.test(m.content));
  const current = messages[at];
  const blocks = current ? markerBlocks(current.content) : {};
  const inputs = inputNames.size === 0 ? blocks : Object.fromEntries(Object.entries(blocks).filter(([k]) => inputNames.has(k)));

  const demos: DemoPair[] = [];
  messages.slice(0, Math.max(0, at)).forEach((m, i, before) => {
    if (m.role !== "assistant") return;
    const prev = before[i - 1];
    const outputs = Object.keys(markerBlocks(m.content)).length > 0 ? markerBlocks(m.content) : jsonBlocks(m.content);
    demos.push({ inputs: prev?.role === "user" ? markerBlocks(prev.content) : {}, outputs });
  });
  const respondLine = current ? (/^\s*Respond with.*$/im.exec(current.content)?.[0] ?? "") : "";
  const wantsJson = request.responseFormat !== undefined || parts.asksJson || /\bJSON\b/.test(respondLine);
  return {
    instructions: parts.instructions,
    inputFields: parts.inputFields,
    outputFields,
    inputs,
    questionText: current?.content ?? "",
    demos,
    wantsJson,
    schema,
    plain: outputFields.length === 0,
  };
}
