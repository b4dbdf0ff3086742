import { z } from "zod";
import { TpeSampler, type Sampler } from "../../samplers";
import { bootstrapShape } from "../bootstrap";

/** The auto presets: n candidates per variable, and the validation subsample scored on. */
export const AUTO_RUN_SETTINGS = Object.freeze({
  light: Object.freeze({ n: 6, valsetSize: 100 }),
  medium: Object.freeze({ n: 12, valsetSize: 300 }),
  heavy: Object.freeze({ n: 18, valsetSize: 1000 }),
});

export type MiproAuto = keyof typeof AUTO_RUN_SETTINGS;

/** Validation sets larger than this are searched on minibatches. */
export const MIN_MINIBATCH_VALSET = 50;
/** Bootstrapped demos shown to the proposer (and bootstrapped for it when no demos are searched). */
export const DEMOS_IN_PROPOSER_CONTEXT = 3;

const positive = (fallback: string) =>
  z
    .number({ message: `must be a whole number >= 1 (${fallback})` })
    .int({ message: `must be a whole number >= 1 (${fallback})` })
    .min(1, { message: `must be a whole number >= 1 (${fallback})` });
const flag = (fallback: boolean) => z.boolean({ message: `must be true or false (default ${fallback})` }).default(fallback);

export const MiproOptionsSchema = z.strictObject({
  auto: z.enum(["light", "medium", "heavy"], { message: 'must be one of "light", "medium", "heavy" (default "light")' }).default("light"),
  numCandidates: positive("default: 6 / 12 / 18 by auto").optional(),
  numTrials: positive("default: max(2 V log2 n, 1.5 n)").optional(),
  ...bootstrapShape({ maxLabeledDemos: 4 }),
  /** Search on minibatches: true (DSPy's rule: when more than 50 validation examples), "always", or false. */
  minibatch: z.union([z.boolean(), z.literal("always")], { message: 'must be true, false or "always" (default true: minibatches above 50 validation examples)' }).default(true),
  minibatchSize: positive("default 35").default(35),
  minibatchFullEvalSteps: positive("default 5").default(5),
  viewDataBatchSize: positive("default 10").default(10),
  programAwareProposer: flag(true),
  dataAwareProposer: flag(true),
  tipAwareProposer: flag(true),
  fewshotAwareProposer: flag(true),
  proposalTemperature: z.number({ message: "must be a number from 0 to 2 (default 1.0)" }).min(0, { message: "must be a number from 0 to 2 (default 1.0)" }).max(2, { message: "must be a number from 0 to 2 (default 1.0)" }).default(1.0),
  sampler: z
    .custom<Sampler>((s) => typeof s === "object" && s !== null && typeof (s as Sampler).ask === "function", { message: "must be a Sampler (an object with ask), e.g. new TpeSampler()" })
    .optional(),
});

export type MiproOptions = z.input<typeof MiproOptionsSchema>;
export type MiproSettings = z.output<typeof MiproOptionsSchema>;

/** MIPROv2's search sampler: multivariate TPE with its usual 10 random startup trials. */
export function defaultMiproSampler(): Sampler {
  return new TpeSampler({ multivariate: true, nStartupTrials: 10 });
}
