import { z } from "zod";
import { parseOptimizerOptions } from "../optimizer-options";

const positiveInt = (what: string) => z.number({ message: `must be a positive integer (${what})` }).int({ message: "must be a positive integer" }).min(1, { message: "must be a positive integer" });
const positive = z.number({ message: "must be a positive number" }).positive({ message: "must be a positive number" });

/** SIMBA's options with their defaults (those of DSPy's SIMBA). */
export const SimbaOptionsSchema = z
  .object({
    /** Training examples per step (default 32; the whole training set when it is smaller). */
    batchSize: positiveInt("examples per minibatch").default(32),
    /** New candidates per step, and sampled runs per example per step (default 6). */
    numCandidates: positiveInt("candidates per step").default(6),
    /** Steps (default 8). */
    maxSteps: positiveInt("steps").default(8),
    /** Demos a step may hold before some are dropped; 0 disables the demo strategy (default 4). */
    maxDemos: z.number({ message: "must be a non-negative integer" }).int({ message: "must be a non-negative integer" }).min(0, { message: "must be a non-negative integer" }).default(4),
    /** Softmax temperature over mean scores when picking the programs to sample runs from (default 0.2). */
    samplingTemperature: positive.default(0.2),
    /** Softmax temperature when picking the program a new candidate starts from (default 0.2). */
    candidateTemperature: positive.default(0.2),
    /** LM temperature of the sampled runs (default 1.0). */
    lmTemperature: z.number({ message: "must be a number from 0 to 2" }).min(0, { message: "must be a number from 0 to 2" }).max(2, { message: "must be a number from 0 to 2" }).default(1),
    /** Characters kept of each input field of a new demo (default 100,000). */
    demoInputFieldMaxLength: positiveInt("characters").default(100_000),
  })
  .strict();

export type SimbaOptions = z.input<typeof SimbaOptionsSchema>;
export type ResolvedSimbaOptions = z.output<typeof SimbaOptionsSchema>;

export function parseSimbaOptions(input: SimbaOptions | undefined): ResolvedSimbaOptions {
  return parseOptimizerOptions("SIMBA", SimbaOptionsSchema, input);
}
