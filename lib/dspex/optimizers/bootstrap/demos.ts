import type { Example } from "../../evaluate/types";
import { programSteps, type Config, type DemoSet, type DemoValue, type JsonValue, type Variable, type VariableSpace } from "../../variables";
import type { Module } from "../../modules/module";

/** A searchable demo variable: its name, the step it feeds, and how many demos it takes at most. */
export interface DemoSlot {
  readonly name: string;
  readonly step: string;
  readonly max: number;
}

/** Demos of one step in a candidate: bootstrapped traces first, then labeled examples. */
export interface StepDemos {
  readonly demos: DemoSet;
  /** How many of `demos` (from the start) are bootstrapped traces. */
  readonly bootstrapped: number;
}

/** A candidate demo assignment: demos for each step (by step path). */
export interface DemoCandidate {
  readonly label: string;
  readonly steps: Readonly<Record<string, StepDemos>>;
}

const PROBE_LIMIT = 1024;

/** The most demos a demo variable accepts (read from its schema; 1024 stands for "no limit"). */
export function demoLimit(variable: Variable): number {
  if (variable.maxItems !== undefined) return variable.maxItems;
  const accepts = (k: number) => variable.schema.safeParse(Array.from({ length: k }, () => ({}))).success;
  if (accepts(PROBE_LIMIT)) return PROBE_LIMIT;
  let low = 0;
  let high = PROBE_LIMIT;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (accepts(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** The demo variables an optimizer may set: searchable, of kind "demos", targeting a step. */
export function demoSlots(space: VariableSpace): DemoSlot[] {
  return space
    .searchable()
    .filter((v) => v.kind === "demos" && v.target.kind === "demos")
    .map((v) => ({ name: v.name, step: (v.target as { step: string }).step, max: demoLimit(v) }));
}

/** A searchable text an optimizer writes: a step's instructions, or a text input the signature declares a variable. */
export interface TextSlot {
  readonly name: string;
  readonly step: string;
  /** Set for a signature field (`t.variable(t.string(), ...)`): the input the text is the value of. */
  readonly field?: string;
  readonly description?: string;
}

/**
 * The texts an optimizer may rewrite, with their steps: every step's instructions and every text
 * variable declared in a signature (searched the same way; a proposal is told which it writes).
 */
export function instructionSlots(space: VariableSpace): TextSlot[] {
  return space
    .searchable()
    .filter((v) => v.kind === "text" && (v.target.kind === "instructions" || v.target.kind === "field"))
    .map((v) => {
      const t = v.target as { step: string; field?: string };
      return { name: v.name, step: t.step, ...(t.field !== undefined ? { field: t.field } : {}), ...(v.description ? { description: v.description } : {}) };
    });
}

/** What a proposer is told about a text that is not an instruction: which input of the step it is the value of. */
export function textSlotNote(slot: Pick<TextSlot, "field" | "description">): string | undefined {
  if (slot.field === undefined) return undefined;
  return `The text to improve is not the step's instruction: it is the value of the step's input \`${slot.field}\`${slot.description ? ` (${slot.description})` : ""}. Write a better value for that input, of the same kind.`;
}

/**
 * What an optimizer tells the user when it asks for more demos than a demo variable takes: the
 * demos are cut to the variable's limit (raise it with discoverSpace's maxDemos).
 */
export function demoCapNotes(optimizer: string, slots: readonly DemoSlot[], wanted: { readonly maxBootstrappedDemos?: number; readonly maxLabeledDemos?: number; readonly k?: number }): string[] {
  const asked = Math.max(wanted.maxBootstrappedDemos ?? 0, wanted.maxLabeledDemos ?? 0, wanted.k ?? 0);
  return slots
    .filter((s) => asked > s.max)
    .map((s) => `${optimizer}: up to ${asked} demos asked, but "${s.name}" takes at most ${s.max}; using ${s.max} (raise it with discoverSpace(program, { maxDemos }))`);
}

/** Step paths of a program, in order. */
export function stepPaths(program: Module): string[] {
  return programSteps(program).map(([path]) => path);
}

/** Field values as a demo: JSON-safe (undefined dropped, dates and the like as JSON text). */
export function toDemo(values: Readonly<Record<string, unknown>>): DemoValue {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || typeof value === "function") continue;
    out[key] = JSON.parse(JSON.stringify(value) ?? "null") as JsonValue;
  }
  return out;
}

/** A labeled training example as a demo: its inputs and expected outputs. */
export function exampleDemo(example: Example): DemoValue {
  return toDemo({ ...example.inputs, ...example.outputs });
}

/**
 * The configuration with each demo slot set from a candidate (a step the candidate lacks gets no
 * demos; sets longer than a slot takes are cut, bootstrapped demos kept first).
 */
export function withDemos(base: Config, slots: readonly DemoSlot[], candidate: DemoCandidate): Config {
  const out: Record<string, JsonValue> = { ...base };
  for (const slot of slots) out[slot.name] = (candidate.steps[slot.step]?.demos ?? []).slice(0, slot.max);
  return out;
}
