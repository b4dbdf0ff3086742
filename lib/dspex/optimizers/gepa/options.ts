import { z } from "zod";
import { parseOptimizerOptions } from "../optimizer-options";

const positiveInt = z.number({ message: "must be a positive integer" }).int({ message: "must be a positive integer" }).min(1, { message: "must be a positive integer" });

/** GEPA's options with their defaults (those of the gepa package where it has one). */
export const GepaOptionsSchema = z
  .object({
    /** Budget in metric calls (examples scored), the seed's validation included. Give this or maxFullEvals. */
    maxMetricCalls: positiveInt.optional(),
    /** Budget in full evaluations: maxFullEvals × (training + validation examples) metric calls (default 5). */
    maxFullEvals: positiveInt.optional(),
    /** Training examples per reflective iteration (default 3). */
    minibatchSize: positiveInt.default(3),
    /** The score of a fully correct example (default 1). */
    perfectScore: z.number({ message: "must be a number" }).default(1),
    /** Skip reflecting when the parent is perfect on the whole minibatch (default true). */
    skipPerfectScore: z.boolean({ message: "must be true or false" }).default(true),
    /** Try merging descendants of a common ancestor (default true). */
    useMerge: z.boolean({ message: "must be true or false" }).default(true),
    /** Merges accepted at most (default 5). */
    maxMergeInvocations: z.number({ message: "must be a non-negative integer" }).int({ message: "must be a non-negative integer" }).min(0, { message: "must be a non-negative integer" }).default(5),
    /** Validation examples a merge is first tested on (default 5). */
    mergeSubsampleSize: positiveInt.default(5),
    /**
     * Which fronts parents are drawn from: per validation example ("instance"), per objective
     * ("objective"), or both ("hybrid"). Default: instance with one objective, hybrid with more.
     */
    frontier: z.enum(["instance", "objective", "hybrid"], { message: 'must be "instance", "objective" or "hybrid"' }).optional(),
    /** Reference point for the hypervolume of the quality/cost front (default: just past the worst values seen). */
    referencePoint: z.array(z.number({ message: "must be a list of numbers" }), { message: "must be a list of numbers" }).optional(),
  })
  .strict()
  .refine((o) => o.maxMetricCalls === undefined || o.maxFullEvals === undefined, { message: "and maxFullEvals both set; give one budget", path: ["maxMetricCalls"] });

export type GepaOptions = z.input<typeof GepaOptionsSchema>;
export type ResolvedGepaOptions = z.output<typeof GepaOptionsSchema>;

export const DEFAULT_MAX_FULL_EVALS = 5;

export function parseGepaOptions(input: GepaOptions | undefined): ResolvedGepaOptions {
  return parseOptimizerOptions("GEPA", GepaOptionsSchema, input);
}
