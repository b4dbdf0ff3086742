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

/** The instruction variables an optimizer may set, with their steps. */
export function instructionSlots(space: VariableSpace): Array<{ readonly name: string; readonly step: string }> {
  return space
    .searchable()
    .filter((v) => v.kind === "text" && v.target.kind === "instructions")
    .map((v) => ({ name: v.name, step: (v.target as { step: string }).step }));
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
