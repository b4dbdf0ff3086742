// The JSON adapter: the same system message head and input markers as the chat adapter, but the
// model replies with one JSON object (enforced with structured outputs where the provider has them).
//
// System message: the chat adapter's head (instructions, "Input fields:", "Output fields:"), a
// blank line, then
//   Reply with a single JSON object and nothing else. Its keys are exactly the output fields, in this order: answer, confidence. JSON schema:
//   {"type":"object",...}                                   (signature.outputJsonSchema(), compact)
// Demo assistant turns are the outputs as a compact JSON object. The user message renders the
// inputs with the same "[[ ## name ## ]]" markers, then
//   Respond with a JSON object with the keys: answer, confidence.
// responseFormat: { type: "json_schema", name: "outputs", schema, strict } where strict is true
// unless an output is a free-form JSON object (OpenAI's strict mode cannot express one).
//
// Reading a reply: JSON.parse; else the inside of a code fence, the first balanced {...} in prose,
// then jsonrepair; then FieldType.fromJson per field (strings go through fromText). null counts as
// absent. A reply that wraps the outputs in one object ({"outputs": {...}}) is unwrapped.
import type { ChatMessage, ResponseFormat } from "../lm/types";
import { fieldValueFromJson, isStrictJsonSchema, parseJsonText, type Signature, type Values } from "../signatures";
import type { Adapter, AdapterParams, Demo, FieldStreamParser, FormattedCall } from "./types";
import { AdapterParseError } from "./adapter-parse-error";
import { createPrefixCache, demoMessages, describeFields, outputNames, outputsPresent, renderInputs } from "./markers";
import { createJsonStreamParser } from "./json-stream-parser";

export const JSON_ADAPTER_NAME = "json";

function replyFormat(signature: Signature): string {
  return `Reply with a single JSON object and nothing else. Its keys are exactly the output fields, in this order: ${outputNames(signature)}. JSON schema:\n${JSON.stringify(signature.outputJsonSchema())}`;
}

function renderReply(signature: Signature, demo: Demo): string {
  const obj: Record<string, unknown> = {};
  for (const f of outputsPresent(signature, demo)) obj[f.name] = demo[f.name];
  return JSON.stringify(obj);
}

const formats = new WeakMap<Signature, ResponseFormat>();

function responseFormat(signature: Signature): ResponseFormat {
  let format = formats.get(signature);
  if (!format) {
    const schema = signature.outputJsonSchema();
    format = Object.freeze({ type: "json_schema", name: "outputs", schema, strict: isStrictJsonSchema(schema) });
    formats.set(signature, format);
  }
  return format;
}

function lookup(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unwrap(signature: Signature, obj: Record<string, unknown>): Record<string, unknown> {
  const hasOutput = signature.outputs.some((f) => lookup(obj, f.name) !== undefined);
  const keys = Object.keys(obj);
  const only = keys.length === 1 ? obj[keys[0] as string] : undefined;
  return !hasOutput && isRecord(only) ? only : obj;
}

function fail(signature: Signature, reply: string, problem: string, parsed: readonly string[]): never {
  throw new AdapterParseError(JSON_ADAPTER_NAME, problem, { raw: reply, expectedFields: signature.outputs.map((f) => f.name), parsedFields: parsed });
}

function parse(signature: Signature, reply: string): Values {
  const parsed = parseJsonText(reply, "object");
  if (!parsed.ok || !isRecord(parsed.value)) {
    return fail(signature, reply, `the reply is not a JSON object (it could not be parsed or repaired); expected an object with the keys ${outputNames(signature)}`, []);
  }
  const obj = unwrap(signature, parsed.value);
  const values: Values = {};
  const missing: string[] = [];
  const found: string[] = [];
  for (const f of signature.outputs) {
    const v = lookup(obj, f.name);
    if (v === undefined || v === null) {
      if (!f.optional) missing.push(f.name);
      continue;
    }
    found.push(f.name);
    values[f.name] = fieldValueFromJson(f.type, v);
  }
  if (missing.length) {
    fail(signature, reply, `the JSON object has no value for the required key${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (expected ${outputNames(signature)}; found ${Object.keys(obj).join(", ") || "no keys"})`, found);
  }
  return values;
}

function correction(signature: Signature, problem: string): string {
  return `Your previous reply could not be used: ${problem}.\n\n${replyFormat(signature)}`;
}

/** The JSON adapter (see the format at the top of this file). Stateless apart from a prompt cache. */
export class JSONAdapter implements Adapter {
  readonly name = JSON_ADAPTER_NAME;
  readonly #prefix = createPrefixCache((signature: Signature, params: AdapterParams): ChatMessage[] => [
    { role: "system", content: `${describeFields(signature, params.instructions)}\n\n${replyFormat(signature)}` },
    ...demoMessages(signature, params.demos, (demo) => renderReply(signature, demo)),
  ]);

  format(signature: Signature, params: AdapterParams, inputs: Values): FormattedCall {
    const user = `${renderInputs(signature, inputs)}Respond with a JSON object with the keys: ${outputNames(signature)}.`;
    return { messages: [...this.#prefix(signature, params), { role: "user", content: user }], responseFormat: responseFormat(signature) };
  }

  parse(signature: Signature, reply: string): Values {
    return parse(signature, reply);
  }

  createStreamParser(signature: Signature): FieldStreamParser {
    return createJsonStreamParser(signature);
  }

  correction(signature: Signature, problem: string): string {
    return correction(signature, problem);
  }
}

export function jsonAdapter(): JSONAdapter {
  return new JSONAdapter();
}
