// The pieces both adapters share: field markers, the field list of the system message, input
// rendering in the user message, and demo turns.
import type { ChatMessage } from "../lm/types";
import { SignatureInvalidError, type Field, type Signature, type Values } from "../signatures";
import type { AdapterParams, Demo } from "./types";

export const COMPLETED = "completed";

export function marker(name: string): string {
  return `[[ ## ${name} ## ]]`;
}

/** Matches one marker, tolerating extra or missing spaces: `[[ ## answer ## ]]`, `[[##answer##]]`. */
export const MARKER_PATTERN = /\[\[\s*##\s*([A-Za-z_][A-Za-z0-9_]*)\s*##\s*\]\]/g;

function fieldLines(f: Field): string {
  const hint = f.optional ? `${f.type.hint}, optional` : f.type.hint;
  let line = `- \`${f.name}\` (${hint})${f.description ? `: ${f.description}` : ""}`;
  const labels = f.type.labels;
  if (labels?.some((l) => l.description)) {
    for (const l of labels) line += `\n  - ${l.value}${l.description ? `: ${l.description}` : ""}`;
  }
  return line;
}

/** The system message's head: the instructions, then the input and output fields with their types. */
export function describeFields(signature: Signature, instructions: string): string {
  if (signature.outputs.length === 0) {
    throw new SignatureInvalidError("(outputs)", `the signature "${signature.toString()}" has no outputs, so there is nothing to ask the model for; add one with appendOutput`);
  }
  const parts = [instructions, ""];
  if (signature.inputs.length) parts.push("Input fields:", ...signature.inputs.map(fieldLines));
  parts.push("Output fields:", ...signature.outputs.map(fieldLines));
  return parts.join("\n");
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** `[[ ## name ## ]]\n<value>\n\n` for each input that has a value, in signature order. */
export function renderInputs(signature: Signature, values: Values): string {
  let out = "";
  for (const f of signature.inputs) {
    const v = values[f.name];
    if (present(v)) out += `${marker(f.name)}\n${f.type.toText(v)}\n\n`;
  }
  return out;
}

export function outputNames(signature: Signature): string {
  return signature.outputs.map((f) => f.name).join(", ");
}

/**
 * Demo turns: a user turn with the demo's inputs and an assistant turn with its outputs as the
 * adapter writes a reply. Demos without any input or any output value are skipped.
 */
export function demoMessages(signature: Signature, demos: readonly Demo[], renderOutputs: (demo: Demo) => string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const demo of demos) {
    const hasInput = signature.inputs.some((f) => present(demo[f.name]));
    const hasOutput = signature.outputs.some((f) => present(demo[f.name]));
    if (!hasInput || !hasOutput) continue;
    messages.push({ role: "user", content: renderInputs(signature, demo).trimEnd() }, { role: "assistant", content: renderOutputs(demo) });
  }
  return messages;
}

export function outputsPresent(signature: Signature, values: Values): Field[] {
  return signature.outputs.filter((f) => present(values[f.name]));
}

/**
 * Caches the system message and demo turns per signature for the last (instructions, demos) seen:
 * predictors call with the same ones every time, so formatting is then two string concatenations.
 */
export function createPrefixCache(build: (signature: Signature, params: AdapterParams) => readonly ChatMessage[]) {
  const cache = new WeakMap<Signature, { instructions: string; demos: readonly Demo[]; messages: readonly ChatMessage[] }>();
  return (signature: Signature, params: AdapterParams): readonly ChatMessage[] => {
    const hit = cache.get(signature);
    if (hit && hit.instructions === params.instructions && hit.demos === params.demos) return hit.messages;
    const messages = Object.freeze(build(signature, params));
    cache.set(signature, { instructions: params.instructions, demos: params.demos, messages });
    return messages;
  };
}
