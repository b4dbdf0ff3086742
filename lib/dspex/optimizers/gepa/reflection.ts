import { z } from "zod";
import type { RunContext } from "../../context";
import type { Example } from "../../evaluate/types";
import { Predict } from "../../modules/predict";
import type { Module } from "../../modules/module";
import type { Rng } from "../../random";
import { defineSignature } from "../../signatures";
import type { RunTrace } from "../../trace";
import { programSteps } from "../../variables";

/** The reflection step: the current instruction and examples with feedback in, a new instruction out. */
export const ReflectionSignature = defineSignature({
  instructions: [
    "You are improving the instruction of one step of a language-model program.",
    "Read the current instruction, then the examples: each shows the inputs the step received, the outputs it produced, and feedback on how good the result was.",
    "Work out what the task is and how its inputs are formatted. From the feedback, note what separates good results from bad ones: facts about the domain the step could not know by itself, mistakes to avoid, and any general strategy that worked.",
    "Write a new, complete instruction for the step that carries all of this, so it does well on these and similar inputs.",
  ].join("\n"),
  inputs: {
    current_instruction: z.string().describe("The instruction the step follows now"),
    examples_with_feedback: z.string().describe("Inputs, generated outputs and feedback for several examples"),
  },
  outputs: {
    new_instruction: z.string().describe("The improved instruction, complete and self-contained"),
  },
});

const reflector = new Predict(ReflectionSignature);

/** One example as the reflection model reads it, for one component (step). */
export interface ReflectiveRecord {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly feedback: string;
}

/** One evaluated example of a minibatch: what the program produced, its score and the metric's feedback. */
export interface EvaluatedExample {
  readonly example: Example;
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
  readonly trace: RunTrace | undefined;
  readonly score: number;
  /** The metric's feedback, or the error when the run failed; null when there is none. */
  readonly feedback: string | null;
}

/**
 * Feedback for an example when the metric gives none: the score, the expected outputs and what
 * the program produced (or how it failed).
 */
export function synthesizeFeedback(example: Example, outputs: Readonly<Record<string, unknown>> | undefined, score: number, perfectScore: number, error?: string | null): string {
  const expected = describeValues(example.outputs);
  if (outputs === undefined) return `The program failed on this example${error ? `: ${error}` : ""}. Score: ${fmt(score)}. The expected outputs were: ${expected}.`;
  const verdict = score >= perfectScore ? "This is fully correct." : "This falls short of the expected outputs.";
  return `Score: ${fmt(score)} (best possible: ${fmt(perfectScore)}). ${verdict} Expected: ${expected}. Produced: ${describeValues(outputs)}.`;
}

/**
 * What the reflection model reads for one step: per example, the step's inputs and outputs (a
 * failed call preferred, else one of its calls at random) with the feedback on the whole run.
 */
export function reflectiveRecords(program: Module, step: string, evaluated: readonly EvaluatedExample[], perfectScore: number, rng: Rng): ReflectiveRecord[] {
  const records: ReflectiveRecord[] = [];
  for (const e of evaluated) {
    const failed = e.outputs === undefined;
    const feedback = e.feedback !== null && !failed ? e.feedback : synthesizeFeedback(e.example, e.outputs, e.score, perfectScore, e.feedback);
    const calls = e.trace ? stepCalls(program, e.trace, step) : [];
    const pick = calls.find((c) => c.error !== undefined) ?? (calls.length ? rng.pick(calls) : undefined);
    if (pick) records.push({ inputs: pick.inputs, outputs: pick.error !== undefined ? { error: pick.error } : pick.outputs, feedback });
    else if (failed && programSteps(program)[0]?.[0] === step) records.push({ inputs: e.example.inputs, outputs: { error: e.feedback ?? "the run failed" }, feedback });
  }
  return records;
}

/** The records as markdown, one section per example. */
export function formatRecords(records: readonly ReflectiveRecord[]): string {
  const block = (values: Readonly<Record<string, unknown>>) =>
    Object.entries(values)
      .map(([k, v]) => `### ${k}\n${typeof v === "string" ? v : JSON.stringify(v, null, 2)}`)
      .join("\n\n");
  return records
    .map((r, i) => [`# Example ${i + 1}`, "## Inputs", block(r.inputs), "## Generated outputs", block(r.outputs), "## Feedback", r.feedback].join("\n\n"))
    .join("\n\n");
}

/**
 * Asks the reflection model for a new instruction. `note` says what the text is when it is not
 * the step's instruction (a text input declared a variable); it comes before the examples.
 */
export async function proposeInstruction(current: string, records: readonly ReflectiveRecord[], context: RunContext, note?: string): Promise<string> {
  const examples = formatRecords(records);
  const out = await reflector.run({ current_instruction: current, examples_with_feedback: note ? `${note}\n\n${examples}` : examples }, context);
  return stripFence(out.new_instruction);
}

interface StepCall {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

/** Every call of one step in a run's trace, failed ones included. */
function stepCalls(program: Module, trace: RunTrace, step: string): StepCall[] {
  const module = programSteps(program).find(([path]) => path === step)?.[1];
  if (!module) return [];
  const predictorPath = module.kind === "ChainOfThought" ? (step ? `${step}.predict` : "predict") : step;
  return trace.spans
    .filter((s) => s.attributes?.module === "Predict" && (s.path ?? "") === predictorPath && s.status !== "running")
    .map((s) => ({
      inputs: (s.inputs ?? {}) as Record<string, unknown>,
      outputs: (s.outputs ?? {}) as Record<string, unknown>,
      ...(s.status === "error" ? { error: s.error ?? "the step failed" } : {}),
    }));
}

function describeValues(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join("; ");
}

function fmt(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}

/** The text inside a ``` fence when the model wrapped its answer in one. */
function stripFence(text: string): string {
  const m = /```[^\n]*\n([\s\S]*?)```/.exec(text);
  return (m ? m[1]! : text).trim();
}
