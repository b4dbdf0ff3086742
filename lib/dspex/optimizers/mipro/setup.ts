import { demoSlots, instructionSlots, type DemoSlot, type TextSlot } from "../bootstrap";
import { OptimizerOptionError } from "../optimizer-options";
import type { PlanInput } from "../types";
import { AUTO_RUN_SETTINGS, MIN_MINIBATCH_VALSET, type MiproSettings } from "./options";

/** Everything MIPROv2 decides before it starts, from its options, the space and the data sizes. */
export interface MiproSetup {
  /** Candidates per variable (auto's n, or numCandidates). */
  readonly n: number;
  /** Instruction candidates per step, the original included: n/2, or n when no demos are searched. */
  readonly instructionCandidates: number;
  /** Demo candidate sets per step (n). */
  readonly demoCandidates: number;
  /** No demo variable is searched (none searchable, or no demos allowed). */
  readonly zeroShot: boolean;
  readonly instructionSlots: readonly TextSlot[];
  readonly demoSlots: readonly DemoSlot[];
  /** Prompt variables searched: V in the trial formula. */
  readonly promptVariables: number;
  readonly numTrials: number;
  /** Validation examples scored on (auto's subsample when the set is larger). */
  readonly valsetSize: number;
  readonly minibatch: boolean;
  readonly minibatchSize: number;
}

/** MIPROv2's trial count: floor(max(2 V log2 n, 1.5 n)). */
export function trialsFor(promptVariables: number, n: number): number {
  return Math.floor(Math.max(2 * promptVariables * Math.log2(n), 1.5 * n));
}

export function resolveSetup(settings: MiproSettings, input: Pick<PlanInput, "space" | "valSize">): MiproSetup {
  const auto = AUTO_RUN_SETTINGS[settings.auto];
  const n = settings.numCandidates ?? auto.n;
  const instructions = instructionSlots(input.space);
  const demos = demoSlots(input.space);
  const zeroShot = demos.length === 0 || (settings.maxBootstrappedDemos === 0 && settings.maxLabeledDemos === 0);
  const promptVariables = instructions.length + (zeroShot ? 0 : demos.length);
  const valsetSize = Math.min(input.valSize, auto.valsetSize);
  const minibatch = settings.minibatch === "always" ? settings.minibatchSize < valsetSize : settings.minibatch && valsetSize > MIN_MINIBATCH_VALSET;
  if (minibatch && settings.minibatchSize > valsetSize) {
    throw new OptimizerOptionError("MIPROv2", "minibatchSize", settings.minibatchSize, `must be at most the ${valsetSize} validation examples searched on`);
  }
  return {
    n,
    instructionCandidates: zeroShot ? n : Math.max(1, Math.floor(n / 2)),
    demoCandidates: n,
    zeroShot,
    instructionSlots: instructions,
    demoSlots: zeroShot ? [] : demos,
    promptVariables,
    numTrials: settings.numTrials ?? Math.max(1, trialsFor(promptVariables, n)),
    valsetSize,
    minibatch,
    minibatchSize: settings.minibatchSize,
  };
}

/** Full evaluations the search makes with minibatches: one every `steps` trials and one at the end. */
export function fullEvaluationsFor(numTrials: number, steps: number): number {
  return Math.floor(numTrials / steps) + (numTrials % steps === 0 ? 0 : 1);
}
