// Trace search: full-text search over runs' inputs, outputs and errors with the run filters, the
// tags and caller ids a prediction can carry, saved views of a search, and a run copied into a
// dataset as an example. The serving API, the store and the search page share these schemas.
import { z } from "zod";
import { DatasetNameSchema, ExampleSplitSchema } from "./datasets";
import { RunSourceSchema, RunStatusSchema } from "./events";
import { DateInputSchema, IdSchema, PageQuerySchema, pageSchema } from "./pagination";
import { ProgramNameSchema } from "./programs";
import { CallerRefSchema, MAX_RUN_TAGS, RunTagSchema } from "./run-labels";
import { RunSummarySchema } from "./serving";

/** Tags from a query string ("a,b") or a JSON array. */
const TagListSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(RunTagSchema).max(MAX_RUN_TAGS, `must hold at most ${MAX_RUN_TAGS} tags`),
);

/** The filters of a run search, without paging (what a saved view keeps). */
export const RunSearchFiltersSchema = z.object({
  /** Words that must all appear in the run's input, output or error (prefixes match: "refun" finds "refund"). */
  q: z.string().trim().max(500, "must be at most 500 characters").optional(),
  programName: ProgramNameSchema.optional(),
  status: RunStatusSchema.optional(),
  source: RunSourceSchema.optional(),
  /** Runs carrying every one of these tags. */
  tags: TagListSchema.optional(),
  userId: CallerRefSchema.optional(),
  sessionId: CallerRefSchema.optional(),
  /** Runs started at or after this time. */
  from: DateInputSchema.optional(),
  /** Runs started before this time. */
  to: DateInputSchema.optional(),
});
export type RunSearchFilters = z.input<typeof RunSearchFiltersSchema>;

export const RunSearchQuerySchema = PageQuerySchema.extend(RunSearchFiltersSchema.shape).superRefine((q, ctx) => {
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
});
export type RunSearchQuery = z.input<typeof RunSearchQuerySchema>;

/** A run as the search lists it: the summary, its labels, and the start of its input and output. */
export const RunSearchItemSchema = RunSummarySchema.extend({
  tags: z.array(z.string()),
  userId: z.string().nullable(),
  sessionId: z.string().nullable(),
  /** The input as compact JSON, cut at 300 characters. */
  inputPreview: z.string().nullable(),
  /** The output as compact JSON, cut at 300 characters. */
  outputPreview: z.string().nullable(),
});
export type RunSearchItem = z.infer<typeof RunSearchItemSchema>;
export const RunSearchPageSchema = pageSchema(RunSearchItemSchema);

// ---------------------------------------------------------------- saved views

/** The filters a saved view keeps, as JSON (dates as ISO strings). */
export const SavedViewQuerySchema = z.object({
  q: z.string().max(500).optional(),
  programName: z.string().max(200).optional(),
  status: RunStatusSchema.optional(),
  source: RunSourceSchema.optional(),
  tags: z.array(RunTagSchema).max(MAX_RUN_TAGS).optional(),
  userId: CallerRefSchema.optional(),
  sessionId: CallerRefSchema.optional(),
  from: z.iso.datetime({ offset: true, message: "must be an ISO 8601 time" }).optional(),
  to: z.iso.datetime({ offset: true, message: "must be an ISO 8601 time" }).optional(),
});
export type SavedViewQuery = z.infer<typeof SavedViewQuerySchema>;

export const SaveViewBodySchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  query: SavedViewQuerySchema,
});
export type SaveViewBody = z.infer<typeof SaveViewBodySchema>;

export const SavedViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  query: SavedViewQuerySchema,
  createdAt: z.iso.datetime(),
});
export type SavedView = z.infer<typeof SavedViewSchema>;
export const SavedViewListSchema = z.object({ items: z.array(SavedViewSchema) });

export const SavedViewIdParamsSchema = z.object({ id: IdSchema });

// ---------------------------------------------------------------- run to dataset

export const AddRunToDatasetBodySchema = z.strictObject({
  /** The dataset to add to; created when no dataset has this name. */
  datasetName: DatasetNameSchema,
  split: ExampleSplitSchema.default("train"),
  /** The expected answer; default: the run's own output (a run without output needs this). */
  outputs: z.record(z.string(), z.unknown()).optional(),
});
export type AddRunToDatasetBody = z.input<typeof AddRunToDatasetBodySchema>;

export const AddRunToDatasetResponseSchema = z.object({
  datasetName: z.string(),
  versionId: z.string(),
  versionNumber: z.number().int().min(1),
  exampleCount: z.number().int().min(1),
  /** The example as added. */
  example: z.object({ inputs: z.record(z.string(), z.unknown()), outputs: z.record(z.string(), z.unknown()), split: ExampleSplitSchema }),
  /** True when the dataset did not exist and was created. */
  createdDataset: z.boolean(),
});
export type AddRunToDatasetResponse = z.infer<typeof AddRunToDatasetResponseSchema>;

export const SavedViewDeletedSchema = z.object({ deleted: z.literal(true), id: z.string() });
