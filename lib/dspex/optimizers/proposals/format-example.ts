import type { Example } from "../../evaluate/types";
import type { Values } from "../../signatures/types";

/** Longest value shown in a prompt before it is cut (a proposal needs the gist, not every byte). */
export const MAX_VALUE_CHARS = 600;

/** A value as prompt text: strings as they are, anything else as compact JSON; cut when long. */
export function valueText(value: unknown, maxChars = MAX_VALUE_CHARS): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
}

/**
 * One record as "name: value" lines: in the order of `fields` when given (fields it lacks are
 * left out), else in its own key order.
 */
export function formatValues(values: Values, fields?: readonly string[]): string {
  const names = fields ? fields.filter((f) => values[f] !== undefined) : Object.keys(values).filter((k) => values[k] !== undefined);
  return names.map((name) => `${name}: ${valueText(values[name])}`).join("\n");
}

/** A training example: its inputs, then the outputs expected for them. */
export function formatExample(example: Example): string {
  return `Inputs:\n${indent(formatValues(example.inputs))}\nExpected outputs:\n${indent(formatValues(example.outputs))}`;
}

/** Examples numbered from `start` (default 1), separated by blank lines. */
export function formatExamples(examples: readonly Example[], start = 1): string {
  return examples.map((e, i) => `Example ${start + i}:\n${formatExample(e)}`).join("\n\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
