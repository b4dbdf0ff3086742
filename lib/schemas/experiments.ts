// Experiments: several versions of one program run on the same examples of a dataset version, with
// per-example results side by side (outputs, scores, traces) and per-version aggregates.
import { z } from "zod";
import { ExampleSplitSchema } from "./datasets";
import { IdSchema, pageSchema, PageQuerySchema } from "./pagination";

export const EXPERIMENT_MAX_EXAMPLES = 200;
export const EXPERIMENT_MAX_VERSIONS = 4;

export const ExperimentStatusSchema = z.enum(["queued", "running", "completed", "failed"]);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export const CreateExperimentBodySchema = z.strictObject({
  program: z.string().trim().min(1, "must name a program").max(200),
  /** Version numbers (1, 2, ...) of the program; the first is the baseline the others are compared with. */
  versions: z
    .array(z.int("must be a whole version number").min(1, "must be 1 or more"), { message: "must be a list of version numbers" })
    .min(2, "name at least two versions to compare")
    .max(EXPERIMENT_MAX_VERSIONS, `at most ${EXPERIMENT_MAX_VERSIONS} versions`)
    .refine((v) => new Set(v).size === v.length, "must not repeat a version"),
  datasetVersionId: IdSchema,
  /** Which examples of the dataset version (default validation; a version without one uses train). */
  split: ExampleSplitSchema.optional(),
  /** At most this many examples, from the first (default 50). */
  limit: z.int("must be a whole number").min(1, "must be at least 1").max(EXPERIMENT_MAX_EXAMPLES, `must be at most ${EXPERIMENT_MAX_EXAMPLES}`).default(50),
  /** Examples run at once per version (default 4). */
  concurrency: z.int("must be a whole number").min(1, "must be at least 1").max(16, "must be at most 16").default(4),
});
export type CreateExperimentBody = z.input<typeof CreateExperimentBodySchema>;

export const ExperimentVersionSummarySchema = z.object({
  versionId: z.string(),
  number: z.number().int(),
  examples: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** Mean score over the examples (errors score 0); null before any result. */
  mean: z.number().nullable(),
  /** 95% interval of the mean (normal approximation). */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  costUsd: z.number(),
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  /** Against the baseline (the first version): examples scored higher, lower, the same. */
  better: z.number().int().nonnegative(),
  worse: z.number().int().nonnegative(),
  same: z.number().int().nonnegative(),
});
export type ExperimentVersionSummary = z.infer<typeof ExperimentVersionSummarySchema>;

export const ExperimentSchema = z.object({
  id: z.string(),
  programName: z.string(),
  datasetVersionId: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number().int(),
  split: ExampleSplitSchema,
  status: ExperimentStatusSchema,
  error: z.string().nullable(),
  examples: z.number().int().nonnegative(),
  versions: z.array(ExperimentVersionSummarySchema),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

export const ExperimentCellSchema = z.object({
  versionId: z.string(),
  output: z.unknown(),
  score: z.number().nullable(),
  error: z.string().nullable(),
  runId: z.string().nullable(),
  costUsd: z.number(),
  latencyMs: z.number(),
});
export type ExperimentCell = z.infer<typeof ExperimentCellSchema>;

export const ExperimentRowSchema = z.object({
  exampleId: z.string(),
  position: z.number().int(),
  input: z.unknown(),
  expected: z.unknown(),
  /** One per version, in the experiment's order (null: not run yet). */
  cells: z.array(ExperimentCellSchema.nullable()),
  /** The versions disagree: different scores or different outputs. */
  differs: z.boolean(),
});
export type ExperimentRow = z.infer<typeof ExperimentRowSchema>;

export const ExperimentDetailSchema = ExperimentSchema.extend({ rows: z.array(ExperimentRowSchema) });
export type ExperimentDetail = z.infer<typeof ExperimentDetailSchema>;

export const ExperimentListQuerySchema = PageQuerySchema.extend({ program: z.string().trim().max(200).optional() });
export type ExperimentListQuery = z.input<typeof ExperimentListQuerySchema>;
export const ExperimentPageSchema = pageSchema(ExperimentSchema);
export type ExperimentPage = z.infer<typeof ExperimentPageSchema>;
