// Does a dataset fit a program? Checked before an optimization is launched, so a dataset whose
// fields do not match the signature is refused with each mismatch named, instead of running to a
// "completed" score of 0 with no LM call made.
import type { Example, Signature } from "../../dspex";
import type { StoreIssue } from "../store";

/** How many examples at most are named in a message ("e.g. example 3"). */
const SHOWN = 3;

interface Tally {
  count: number;
  readonly examples: number[];
  sample?: unknown;
}

function tally(map: Map<string, Tally>, key: string, index: number, sample?: unknown): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { count: 0, examples: [] }));
  t.count++;
  if (t.examples.length < SHOWN) t.examples.push(index + 1);
  if (t.sample === undefined && sample !== undefined) t.sample = sample;
}

const where = (t: Tally, total: number) => `${t.count} of ${total} examples (e.g. example ${t.examples.join(", ")})`;
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const names = (fields: readonly { readonly name: string }[]) => fields.map((f) => f.name).join(", ") || "none";

/**
 * The mismatches between examples and a signature, one issue per field (empty when they fit):
 * required inputs missing, fields the signature does not have, values of the wrong type or outside
 * a label set, and examples without any expected output for the metric to compare.
 */
export function datasetFitIssues(signature: Signature, examples: readonly Example[]): StoreIssue[] {
  const total = examples.length;
  if (total === 0) return [{ field: "datasetVersionId", message: "has no examples; import some before optimizing" }];
  const missing = new Map<string, Tally>();
  const unknownInputs = new Map<string, Tally>();
  const unknownOutputs = new Map<string, Tally>();
  const wrong = new Map<string, Tally>();
  const unlabeled = new Map<string, Tally>();
  const inputs = new Map(signature.inputs.map((f) => [f.name, f]));
  const outputs = new Map(signature.outputs.map((f) => [f.name, f]));

  examples.forEach((example, i) => {
    for (const field of signature.inputs) {
      const value = example.inputs[field.name];
      if (value === undefined || value === null) {
        if (!field.optional && !field.variable) tally(missing, field.name, i);
      } else if (!field.type.schema.safeParse(value).success) tally(wrong, `input.${field.name}`, i, value);
    }
    for (const name of Object.keys(example.inputs)) if (!inputs.has(name)) tally(unknownInputs, name, i);
    let labeled = false;
    for (const [name, value] of Object.entries(example.outputs ?? {})) {
      const field = outputs.get(name);
      if (!field) {
        tally(unknownOutputs, name, i);
        continue;
      }
      if (value === undefined || value === null) continue;
      labeled = true;
      if (!field.type.schema.safeParse(value).success) tally(wrong, `output.${name}`, i, value);
    }
    if (!labeled) tally(unlabeled, "", i);
  });

  const issues: StoreIssue[] = [];
  for (const [name, t] of missing) issues.push({ field: `input.${name}`, message: `the required input is missing in ${where(t, total)}` });
  for (const [name, t] of unknownInputs) issues.push({ field: `input.${name}`, message: `is not an input of the program's signature (inputs: ${names(signature.inputs)}); found in ${where(t, total)}` });
  for (const [name, t] of unknownOutputs) issues.push({ field: `output.${name}`, message: `is not an output of the program's signature (outputs: ${names(signature.outputs)}); found in ${where(t, total)}` });
  for (const [path, t] of wrong) {
    const [role, name] = path.split(".") as ["input" | "output", string];
    const field = (role === "input" ? inputs : outputs).get(name)!;
    issues.push({ field: path, message: `expects ${field.type.hint}; ${where(t, total)} hold another value, e.g. ${shown(t.sample)}` });
  }
  const none = unlabeled.get("");
  if (none) issues.push({ field: "outputs", message: `no expected output (${names(signature.outputs)}) in ${where(none, total)}; the metric has nothing to compare with` });
  return issues;
}
