// Turns a request built by Ax (@ax-llm/ax 24.x) back into the parts the demo model decides on,
// exactly as read-request.ts does for DSPEx's adapters, so that the same task, instructions, demos,
// temperature, reasoning field and model give the same competence whichever format asked.
//
// What Ax sends (recorded from real Ax programs; see README.md "Ax's format"):
//   system: <identity> (input and output titles), <input_fields>, <output_fields> (one
//     "Title (wire key: `key`): (This <type> field must be included) description" line per output,
//     class labels as "label: description" lines and "Allowed values: a, b"), <task_definition>
//     (the instruction, when set), <formatting_rules> ("field name: value" lines, or one JSON
//     object when an output is an object), then "## Example Demonstrations" when there are demos;
//   demos: user turns "Title: value" per input, assistant turns "Title: value" per output;
//   the question: a user turn "Title: value" per input (after "--- END OF EXAMPLES --- … REAL USER
//     QUERY:" when demos came before it); a parse failure adds the reply and a correction turn.
//   GEPA's reflection, when it asks in free text: one user message "I provided an assistant with
//     the following instructions …", answered with the new instruction inside ``` fences.
import type { ChatMessage, LMRequest } from "../lm/types";
import { type AxOutputField, identityTitles, inputTitlesOfSection, nameOfTitle, parseAxOutputFields, section, titledValues } from "./ax-fields";
import type { DemoField } from "./field-lines";
import type { DemoPair, DemoRequest } from "./read-request";

/** How the reply is written: "key: value" lines, one JSON object, or text inside ``` fences. */
export type AxReplyForm = "lines" | "json" | "fenced";

export interface AxReading {
  readonly request: DemoRequest;
  /** The key Ax expects in the reply for each output field, by DemoField name. */
  readonly wireKeys: Readonly<Record<string, string>>;
  readonly form: AxReplyForm;
}

const REFLECTION = /^\s*I provided an assistant with the following instructions to perform a task for me:/;
const QUERY_SEPARATOR = /REAL USER QUERY:\s*\n/;

function textOf(messages: readonly ChatMessage[], role: ChatMessage["role"]): string {
  return messages.filter((m) => m.role === role).map((m) => m.content).join("\n\n");
}

/** True when the request is in Ax's prompt format (its field template, or GEPA's free-text reflection). */
export function isAxRequest(request: LMRequest): boolean {
  const system = textOf(request.messages, "system");
  if (system.includes("<output_fields>") && system.includes("(wire key: `")) return true;
  const users = request.messages.filter((m) => m.role === "user");
  return !system && users.length === 1 && REFLECTION.test(users[0]!.content);
}

function stringField(name: string, description = ""): DemoField {
  return { name, kind: "string", hint: "string", description, optional: false, labels: [] };
}

/** The part of a user turn that holds the question (after Ax's end-of-examples separator). */
function queryPart(content: string): string {
  const m = QUERY_SEPARATOR.exec(content);
  return m ? content.slice(m.index + m[0].length) : content;
}

function byName(values: Readonly<Record<string, string>>, rename: (title: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([title, value]) => [rename(title), value]));
}

/**
 * GEPA asks for an improved component as `newValue` with a "Component Kind" input; for an
 * instruction component that is a new instruction: name it so, and show the current one as the
 * previous instruction (what the demo model's instruction writer reads).
 */
function asInstructionProposal(inputs: Record<string, string>, outputs: AxOutputField[]): { inputs: Record<string, string>; outputs: AxOutputField[] } {
  const kind = `${inputs.component_kind ?? ""} ${inputs.component_key ?? ""}`;
  if (!/instruction/i.test(kind) || !outputs.some((o) => o.wireKey === "newValue")) return { inputs, outputs };
  const renamed = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k === "current_value" ? "current_instruction" : k, v]));
  return {
    inputs: renamed,
    outputs: outputs.map((o) => (o.wireKey === "newValue" ? { ...o, field: { ...o.field, name: "new_instruction" } } : o)),
  };
}

function readReflection(content: string): AxReading {
  const fenced = /```[^\n]*\n?([\s\S]*?)```/.exec(content);
  const current = (fenced?.[1] ?? "").trim();
  const examples = fenced ? content.slice(fenced.index + fenced[0].length) : content;
  const request: DemoRequest = {
    instructions: "",
    inputFields: [stringField("current_instruction"), stringField("examples")],
    outputFields: [stringField("new_instruction")],
    inputs: { current_instruction: current, examples: examples.trim() },
    questionText: content,
    demos: [],
    wantsJson: false,
    plain: false,
  };
  return { request, wireKeys: { new_instruction: "new_instruction" }, form: "fenced" };
}

export function readAxRequest(request: LMRequest): AxReading {
  const messages = request.messages;
  const system = textOf(messages, "system");
  if (!system) return readReflection(messages.find((m) => m.role === "user")?.content ?? "");
  const identity = section(system, "identity");
  const fromIdentity = identityTitles(identity, /following fields:/);
  const inputTitles = fromIdentity.length > 0 ? fromIdentity : inputTitlesOfSection(section(system, "input_fields"));
  const parsedOutputs = parseAxOutputFields(section(system, "output_fields"));
  const outputTitles = parsedOutputs.flatMap((o) => [o.title, o.wireKey]);

  const holdsInputs = (m: ChatMessage) => m.role === "user" && Object.keys(titledValues(queryPart(m.content), inputTitles)).length > 0;
  let at = -1;
  for (let i = messages.length - 1; i >= 0 && at < 0; i--) if (holdsInputs(messages[i]!)) at = i;
  const current = at >= 0 ? queryPart(messages[at]!.content) : "";
  const read = asInstructionProposal(byName(titledValues(current, inputTitles), nameOfTitle), parsedOutputs);

  const demos: DemoPair[] = [];
  messages.slice(0, Math.max(0, at)).forEach((m, i, before) => {
    if (m.role !== "assistant") return;
    const prev = before[i - 1];
    const outputs = titledValues(m.content, outputTitles);
    const wire = (title: string) => parsedOutputs.find((o) => o.title === title || o.wireKey === title)?.wireKey ?? title;
    demos.push({ inputs: prev?.role === "user" ? byName(titledValues(prev.content, inputTitles), nameOfTitle) : {}, outputs: byName(outputs, wire) });
  });

  const rules = section(system, "formatting_rules");
  const wantsJson = request.responseFormat !== undefined || /Return one valid JSON object/i.test(rules);
  const schema = request.responseFormat?.type === "json_schema" ? request.responseFormat.schema : undefined;
  const parsed: DemoRequest = {
    instructions: section(system, "task_definition"),
    inputFields: inputTitles.map((t) => stringField(nameOfTitle(t))),
    outputFields: read.outputs.map((o) => o.field),
    inputs: read.inputs,
    questionText: current,
    demos,
    wantsJson,
    ...(schema ? { schema } : {}),
    plain: read.outputs.length === 0,
  };
  return {
    request: parsed,
    wireKeys: Object.fromEntries(read.outputs.map((o) => [o.field.name, o.wireKey])),
    form: wantsJson ? "json" : "lines",
  };
}
