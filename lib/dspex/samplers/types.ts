// The sampler protocol: given the space, the trials so far and a seeded random stream, propose
// the next configuration. Samplers keep no state between calls: everything they know comes from
// the trial history, so a resumed run with the same history asks the same questions.
import type { Rng } from "../random";
import type { Config, VariableSpace } from "../variables";

export type Direction = "maximize" | "minimize";

export interface Objective {
  readonly name: string;
  readonly direction: Direction;
}

export const QUALITY: Objective = Object.freeze({ name: "quality", direction: "maximize" });
export const COST: Objective = Object.freeze({ name: "cost", direction: "minimize" });
export const LATENCY: Objective = Object.freeze({ name: "latency", direction: "minimize" });

export type TrialState = "running" | "complete" | "failed" | "pruned";

export interface TrialRecord {
  readonly number: number;
  readonly config: Config;
  readonly state: TrialState;
  /** One value per objective, in the study's objective order (complete trials). */
  readonly values?: readonly number[];
  /** How the trial was scored; a full evaluation is the more trustworthy. */
  readonly evaluation?: "minibatch" | "full";
}

export interface SamplerContext {
  readonly space: VariableSpace;
  /** Every trial so far (running ones included, without values), in number order. */
  readonly trials: readonly TrialRecord[];
  readonly objectives: readonly Objective[];
  /** A stream seeded for this trial: the same seed, history and trial number give the same draws. */
  readonly rng: Rng;
  /** The number the proposed trial will get. */
  readonly trialNumber: number;
}

export interface Sampler {
  readonly name: string;
  ask(ctx: SamplerContext): Config | Promise<Config>;
}
