import type { Module } from "../../modules/module";
import { signatureOf } from "../../modules/module";
import type { Field, Signature } from "../../signatures/types";
import { programSteps, stepPredictor } from "../../variables";

/** How a step is named in prompts and reports ("" is a program that is itself one step). */
export function stepLabel(step: string): string {
  return step === "" ? "the program's only step" : `step "${step}"`;
}

function fieldLine(field: Field): string {
  const hint = field.type.hint + (field.optional ? ", optional" : "");
  return `- ${field.name} (${hint})${field.description ? `: ${field.description}` : ""}`;
}

function signatureLines(signature: Signature, instructions: string): string[] {
  return [
    `Instructions: ${instructions}`,
    "Inputs:",
    ...signature.inputs.map(fieldLine),
    "Outputs:",
    ...signature.outputs.map(fieldLine),
  ];
}

/** "a, b -> c, d": field names only (descriptions follow in the field lines). */
function shorthand(signature: Signature): string {
  return `${signature.inputs.map((f) => f.name).join(", ")} -> ${signature.outputs.map((f) => f.name).join(", ")}`;
}

/**
 * What a program is, read from its module tree and its steps' signatures: the text a proposer is
 * given so it knows where a step sits (it costs no LM call and is exact).
 */
export function describeProgram(program: Module): string {
  const steps = programSteps(program);
  const lines: string[] = [];
  const own = signatureOf(program);
  lines.push(`A language-model program (${program.kind}) with ${steps.length} step${steps.length === 1 ? "" : "s"} that call the LM.`);
  if (own && steps.length !== 1) lines.push(`The program maps ${shorthand(own)}.`);
  const modules = program.namedModules();
  if (modules.length) {
    lines.push("Module tree:", `${program.kind}`);
    for (const [path, m] of modules) lines.push(`${"  ".repeat(path.split(".").length)}${path.split(".").pop()}: ${m.kind}`);
  }
  for (const [index, [path, module]] of steps.entries()) {
    const predictor = stepPredictor(module, path);
    const signature = predictor.signature;
    lines.push("", `Step ${index + 1}, ${stepLabel(path)} (${module.kind}): ${shorthand(signature)}`, ...signatureLines(signature, predictor.instructions).map((l) => `  ${l}`));
  }
  return lines.join("\n");
}

/** One step: its module kind, its place among the steps, its signature and field descriptions. */
export function describeStep(program: Module, step: string): string {
  const steps = programSteps(program);
  const index = steps.findIndex(([path]) => path === step);
  if (index === -1) return `Unknown step "${step}".`;
  const module = steps[index]![1];
  const predictor = stepPredictor(module, step);
  const signature = predictor.signature;
  const inputs = signature.inputs.map((f) => f.name).join(", ");
  const outputs = signature.outputs.map((f) => f.name).join(", ");
  const where = steps.length === 1 ? "It is the whole program." : `It is step ${index + 1} of ${steps.length}.`;
  return [`A ${module.kind} step that reads ${inputs} and writes ${outputs}. ${where}`, ...signatureLines(signature, predictor.instructions)].join("\n");
}
