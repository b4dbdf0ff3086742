// Inputs of the run, trace and cost queries.
import { z } from "zod";
import { RunSourceSchema, RunStatusSchema } from "./events";
import { DateInputSchema, IdSchema, PageQuerySchema } from "./pagination";
import { ProgramNameSchema } from "./programs";

const timeRange = <T extends { from?: Date; to?: Date }>(q: T, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
};

export const RunListQuerySchema = PageQuerySchema.extend({
  programName: ProgramNameSchema.optional(),
  versionId: IdSchema.optional(),
  status: RunStatusSchema.optional(),
  source: RunSourceSchema.optional(),
  apiKeyId: IdSchema.optional(),
  optimizationId: IdSchema.optional(),
  /** Runs started at or after this time. */
  from: DateInputSchema.optional(),
  /** Runs started before this time. */
  to: DateInputSchema.optional(),
}).superRefine(timeRange);
export type RunListQuery = z.input<typeof RunListQuerySchema>;

export const CostGroupSchema = z.enum(["provider", "model", "program", "apiKey", "day"]);
export type CostGroup = z.infer<typeof CostGroupSchema>;

export const CostQuerySchema = z
  .object({
    groupBy: CostGroupSchema,
    /** LM calls made at or after this time. */
    from: DateInputSchema.optional(),
    /** LM calls made before this time. */
    to: DateInputSchema.optional(),
    programName: ProgramNameSchema.optional(),
    apiKeyId: IdSchema.optional(),
    model: z.string().trim().min(1).max(200).optional(),
    /** Groups returned at most (the largest by cost; days in order). */
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .superRefine(timeRange);
export type CostQuery = z.input<typeof CostQuerySchema>;
