// Inputs of the optimization and trial store functions (the launch form and the API share them).
import { z } from "zod";
import { IdSchema, PageQuerySchema } from "./pagination";
import { ProgramNameSchema } from "./programs";

export const OPTIMIZATION_STATUSES = ["queued", "running", "stopping", "stopped", "completed", "failed"] as const;
export const OptimizationStatusNameSchema = z.enum(OPTIMIZATION_STATUSES);
export type OptimizationStatusName = z.infer<typeof OptimizationStatusNameSchema>;

export const TrialStatusSchema = z.enum(["running", "complete", "pruned", "failed"]);
export const TrialEvaluationSchema = z.enum(["minibatch", "full"]);

/** Limits for one optimization: it stops cleanly at the first one reached. */
export const OptimizationBudgetSchema = z.object({
  usd: z.number().positive("must be above 0").max(1_000_000).optional(),
  lmCalls: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
  seconds: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
});

/** The cost estimate shown before starting (the framework's CostEstimate). */
export const CostEstimateSchema = z.object({
  lmCalls: z.number().nonnegative(),
  /** Null when a model the run may call has no known price. */
  usd: z.number().nonnegative().nullable(),
  trials: z.number().nonnegative(),
  notes: z.array(z.string()).default([]),
});

export const CreateOptimizationSchema = z.object({
  programName: ProgramNameSchema,
  /** The version to start from (default: the active version). */
  baseVersionId: IdSchema.optional(),
  datasetVersionId: IdSchema.nullish(),
  /** The optimizer's name, e.g. "mipro", "gepa", "auto". */
  optimizer: z.string().trim().min(1, "must name an optimizer").max(64),
  /** The optimizer's own options, as submitted. */
  options: z.record(z.string(), z.json()).default({}),
  seed: z.number().int("must be a whole number").default(0),
  budget: OptimizationBudgetSchema.default({}),
  estimate: CostEstimateSchema.nullish(),
  createdBy: z.string().max(128).nullish(),
});
export type CreateOptimizationInput = z.input<typeof CreateOptimizationSchema>;

export const SetOptimizationStatusSchema = z.object({
  status: OptimizationStatusNameSchema,
  /** Why it failed (status failed). */
  error: z.string().max(10_000).nullish(),
  /** The final report (status completed). */
  report: z.json().optional(),
  resultVersionId: IdSchema.nullish(),
  jobId: z.string().max(128).nullish(),
});
export type SetOptimizationStatusInput = z.input<typeof SetOptimizationStatusSchema>;

export const OptimizationListQuerySchema = PageQuerySchema.extend({
  programName: ProgramNameSchema.optional(),
  status: OptimizationStatusNameSchema.optional(),
});
export type OptimizationListQuery = z.input<typeof OptimizationListQuerySchema>;

export const TrialSortSchema = z.enum(["number", "score", "costUsd", "latencyMs", "createdAt"]);

export const TrialListQuerySchema = PageQuerySchema.extend({
  optimizationId: IdSchema,
  sort: TrialSortSchema.default("number"),
  order: z.enum(["asc", "desc"]).default("asc"),
  status: TrialStatusSchema.optional(),
  evaluation: TrialEvaluationSchema.optional(),
});
export type TrialListQuery = z.input<typeof TrialListQuerySchema>;
