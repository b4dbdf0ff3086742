// The demo model's competence p in [0, 1]: the chance it answers one bundled-task question
// correctly. Every number here is documented in README.md; change both together.
import type { DemoModelProfile } from "./models";

export type DemoTaskKind = "arithmetic" | "qa" | "classify";

/** Words or phrases in the instructions that help on a task (at most CUE_COUNT_MAX count). */
export const TASK_CUES: Readonly<Record<DemoTaskKind, readonly string[]>> = Object.freeze({
  arithmetic: Object.freeze(["step by step", "operation", "whole number"]),
  qa: Object.freeze(["exact", "span", "passage"]),
  classify: Object.freeze(["description", "single", "closest"]),
});

export const COMPETENCE = Object.freeze({
  /** Base for a one-step problem; each extra step costs ARITHMETIC_STEP_COST. */
  arithmeticBase: 0.8,
  arithmeticStepCost: 0.17,
  qaBase: 0.72,
  classifyBase: 0.72,
  /** QA or classification where the best candidate barely beats the next one. */
  ambiguousCost: 0.15,
  cueBonus: 0.06,
  cueCountMax: 2,
  /** Demo bonus: DEMO_BONUS_MAX * (1 - DEMO_DECAY^k) for k demos, k counted up to DEMO_COUNT_MAX. */
  demoBonusMax: 0.12,
  demoDecay: 0.6,
  demoCountMax: 8,
  /** Arithmetic with a reasoning field: REASONING_ARITHMETIC_BASE + REASONING_PER_STEP * (steps - 1). */
  reasoningArithmeticBase: 0.02,
  reasoningPerStep: 0.1,
  reasoningOther: 0.03,
  /** Penalty TEMPERATURE_SLOPE * (T - TEMPERATURE_FREE) above TEMPERATURE_FREE; unset T counts as 0. */
  temperatureFree: 0.2,
  temperatureSlope: 0.25,
  min: 0.02,
  max: 0.98,
});

export interface CompetenceInput {
  readonly task: DemoTaskKind;
  /** Arithmetic: the number of operations in the problem. */
  readonly steps?: number;
  /** QA and classification: the top candidate barely beat the runner-up. */
  readonly ambiguous?: boolean;
  readonly instructions: string;
  readonly demoCount: number;
  readonly hasReasoning: boolean;
  readonly temperature: number;
  readonly model: DemoModelProfile;
}

export interface Competence {
  readonly p: number;
  readonly base: number;
  readonly model: number;
  readonly cues: number;
  readonly demos: number;
  readonly reasoning: number;
  readonly temperature: number;
  readonly cuesFound: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The task's cue words that occur in the instructions (case-insensitive, whole words). */
export function cuesIn(task: DemoTaskKind, instructions: string): string[] {
  return TASK_CUES[task].filter((cue) => new RegExp(`\\b${escapeRegExp(cue).replace(/ /g, "\\s+")}`, "i").test(instructions));
}

function baseOf(input: CompetenceInput): number {
  const c = COMPETENCE;
  if (input.task === "arithmetic") return c.arithmeticBase - c.arithmeticStepCost * (Math.max(1, input.steps ?? 1) - 1);
  const base = input.task === "qa" ? c.qaBase : c.classifyBase;
  return base - (input.ambiguous ? c.ambiguousCost : 0);
}

export function competence(input: CompetenceInput): Competence {
  const c = COMPETENCE;
  const cuesFound = cuesIn(input.task, input.instructions);
  const k = Math.min(c.demoCountMax, Math.max(0, input.demoCount));
  const parts = {
    base: baseOf(input),
    model: input.model.competenceOffset,
    cues: c.cueBonus * Math.min(c.cueCountMax, cuesFound.length),
    demos: c.demoBonusMax * (1 - c.demoDecay ** k),
    reasoning: !input.hasReasoning
      ? 0
      : input.task === "arithmetic"
        ? c.reasoningArithmeticBase + c.reasoningPerStep * (Math.max(1, input.steps ?? 1) - 1)
        : c.reasoningOther,
    temperature: -c.temperatureSlope * Math.max(0, input.temperature - c.temperatureFree),
  };
  const sum = parts.base + parts.model + parts.cues + parts.demos + parts.reasoning + parts.temperature;
  return { ...parts, p: Math.min(c.max, Math.max(c.min, sum)), cuesFound };
}
