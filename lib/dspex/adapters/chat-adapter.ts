// The chat adapter: fields in the prompt and in the reply are delimited by markers.
//
// EXACT MESSAGE FORMAT (the offline demo model parses it; change it only together with that model)
//
// 1. System message:
//      <instructions>
//      <blank line>
//      Input fields:                      (this block is left out when the signature has no inputs)
//      - `question` (string): The user's question.
//      - `context` (string, optional)
//      Output fields:
//      - `answer` (string): A short answer.
//      - `sentiment` (one of: positive, negative)
//        - positive: the text approves
//        - negative: the text disapproves
//      - `confidence` (probability: a number from 0 to 1)
//      <blank line>
//      Reply with the output fields in this order, each after its marker, then the completion marker:
//      <blank line>
//      [[ ## answer ## ]]
//      {answer}
//      <blank line>
//      [[ ## sentiment ## ]]
//      {sentiment}
//      <blank line>
//      [[ ## confidence ## ]]
//      {confidence}
//      <blank line>
//      [[ ## completed ## ]]
//    Each field line is "- `name` (hint[, optional]): description"; ": description" is left out
//    when there is none. The hint is FieldType.hint. Labels get one line each, indented by two
//    spaces ("  - label: description"), only when at least one label has a description.
//    The message ends right after "[[ ## completed ## ]]" (no trailing newline).
// 2. Demos, in order: a user turn with the demo's inputs (the marker blocks of 3, without the
//    final "Respond ..." line and without trailing blank lines), then an assistant turn with the
//    demo's outputs: "[[ ## name ## ]]\n<value>\n\n" per output it has, then "[[ ## completed ## ]]".
//    Demos with no input value or no output value are skipped.
// 3. User message: "[[ ## name ## ]]\n<value as text>\n\n" for each input that has a value, in
//    signature order, then the line
//      Respond with the output fields, starting with [[ ## <first output> ## ]] and ending with [[ ## completed ## ]].
// 4. Retries (callWithAdapter): the model's reply as an assistant turn, then a user turn that starts
//    with "Your previous reply could not be used: " and repeats the marker layout. The inputs stay
//    in the user message of 3.
// Values are written with FieldType.toText: strings as they are, numbers and booleans with
// String(), lists, json and embeddings as JSON.
//
// Reading a reply: split on markers (extra spaces, any order, text before the first marker, a
// missing completion marker and code fences around values are all tolerated; the first marker of
// a field wins; text after [[ ## completed ## ]] is ignored), then FieldType.fromText per field.
import type { ChatMessage } from "../lm/types";
import type { Signature, Values } from "../signatures";
import type { Adapter, AdapterParams, Demo, FieldStreamParser, FormattedCall } from "./types";
import { AdapterParseError } from "./adapter-parse-error";
import { COMPLETED, MARKER_PATTERN, createPrefixCache, demoMessages, describeFields, marker, outputsPresent, renderInputs } from "./markers";
import { createChatStreamParser } from "./chat-stream-parser";

export const CHAT_ADAPTER_NAME = "chat";

function markerLayout(signature: Signature): string {
  return [...signature.outputs.map((f) => `${marker(f.name)}\n{${f.name}}\n\n`), marker(COMPLETED)].join("");
}

function systemMessage(signature: Signature, instructions: string): string {
  return `${describeFields(signature, instructions)}\n\nReply with the output fields in this order, each after its marker, then the completion marker:\n\n${markerLayout(signature)}`;
}

function renderReply(signature: Signature, demo: Demo): string {
  let out = "";
  for (const f of outputsPresent(signature, demo)) out += `${marker(f.name)}\n${f.type.toText(demo[f.name])}\n\n`;
  return out + marker(COMPLETED);
}

const WHOLE_FENCE = /^```[\w+-]*[^\S\n]*\n([\s\S]*?)\n?```$/;

/**
 * Removes a code fence around a whole value, and a lone fence line left at either end of a value
 * (when the model fenced its whole reply).
 */
function cleanSection(text: string): string {
  let t = text.trim();
  const fences = t.match(/```/g)?.length ?? 0;
  if (fences === 1) t = t.replace(/^```[\w+-]*\s*\n?/, "").replace(/\n?```$/, "").trim();
  else if (fences === 2) t = WHOLE_FENCE.exec(t)?.[1]?.trim() ?? t;
  return t;
}

/** The text after each output's marker, keyed by output name. */
export function splitByMarkers(signature: Signature, reply: string): Map<string, string> {
  const byLower = new Map(signature.outputs.map((f) => [f.name.toLowerCase(), f.name]));
  const sections = new Map<string, string>();
  const matches = [...reply.matchAll(MARKER_PATTERN)];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i] as RegExpMatchArray;
    const name = (m[1] ?? "").toLowerCase();
    if (name === COMPLETED) break;
    const field = byLower.get(name);
    if (field === undefined || sections.has(field)) continue;
    const start = (m.index ?? 0) + m[0].length;
    const end = matches[i + 1]?.index ?? reply.length;
    sections.set(field, cleanSection(reply.slice(start, end)));
  }
  return sections;
}

function parse(signature: Signature, reply: string): Values {
  const sections = splitByMarkers(signature, reply);
  const values: Values = {};
  const missing: string[] = [];
  for (const f of signature.outputs) {
    const text = sections.get(f.name);
    if (text === undefined) {
      if (!f.optional) missing.push(f.name);
      continue;
    }
    values[f.name] = f.type.fromText(text);
  }
  if (missing.length) {
    const found = [...sections.keys()];
    const problem = `the reply has no ${missing.map(marker).join(", ")} marker${missing.length > 1 ? "s" : ""} for the required output${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (expected ${signature.outputs.map((f) => f.name).join(", ")}; found ${found.length ? found.join(", ") : "no output markers"})`;
    throw new AdapterParseError(CHAT_ADAPTER_NAME, problem, { raw: reply, expectedFields: signature.outputs.map((f) => f.name), parsedFields: found });
  }
  return values;
}

function correction(signature: Signature, problem: string): string {
  return `Your previous reply could not be used: ${problem}.\n\nReply again with every output field after its marker, in this order, then the completion marker:\n\n${markerLayout(signature)}`;
}

/** The chat adapter (see the format at the top of this file). Stateless apart from a prompt cache. */
export class ChatAdapter implements Adapter {
  readonly name = CHAT_ADAPTER_NAME;
  readonly #prefix = createPrefixCache((signature: Signature, params: AdapterParams): ChatMessage[] => [
    { role: "system", content: systemMessage(signature, params.instructions) },
    ...demoMessages(signature, params.demos, (demo) => renderReply(signature, demo)),
  ]);

  format(signature: Signature, params: AdapterParams, inputs: Values): FormattedCall {
    const first = signature.outputs[0]?.name ?? "";
    const user = `${renderInputs(signature, inputs)}Respond with the output fields, starting with ${marker(first)} and ending with ${marker(COMPLETED)}.`;
    return { messages: [...this.#prefix(signature, params), { role: "user", content: user }] };
  }

  parse(signature: Signature, reply: string): Values {
    return parse(signature, reply);
  }

  createStreamParser(signature: Signature): FieldStreamParser {
    return createChatStreamParser(signature);
  }

  correction(signature: Signature, problem: string): string {
    return correction(signature, problem);
  }
}

export function chatAdapter(): ChatAdapter {
  return new ChatAdapter();
}
