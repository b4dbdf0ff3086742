// Scores on runs (from people, an LM judge or a metric) and annotation queues of runs waiting for
// a person's scores. The serving API, the store and the dashboard share these schemas.
import { z } from "zod";
import { IdSchema } from "./pagination";

export const ScoreSourceSchema = z.enum(["human", "judge", "metric"]);
export type ScoreSource = z.infer<typeof ScoreSourceSchema>;

/** A score's name: letters, digits and `_ - .`, 1-64 characters. */
export const ScoreNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[\p{L}\p{N}_.-]+$/u, "may hold only letters, digits and _ . -");

export const ScoreSchema = z.object({
  id: z.string(),
  runId: z.string(),
  name: z.string(),
  source: ScoreSourceSchema,
  value: z.number().nullable(),
  label: z.string().nullable(),
  comment: z.string().nullable(),
  authorId: z.string().nullable(),
  /** The judge's model, criteria and reason, or the metric and its reference. */
  details: z.unknown(),
  createdAt: z.iso.datetime(),
});
export type Score = z.infer<typeof ScoreSchema>;
export const ScoreListSchema = z.object({ items: z.array(ScoreSchema) });

/** A person's score: thumbs (value 1 or 0), a number, a label, a comment, or several of these. */
export const CreateScoreBodySchema = z
  .strictObject({
    name: ScoreNameSchema,
    value: z.number().finite().min(-1e9).max(1e9).optional(),
    label: z.string().trim().min(1).max(100, "must be at most 100 characters").optional(),
    comment: z.string().trim().max(5000, "must be at most 5000 characters").optional(),
  })
  .refine((b) => b.value !== undefined || b.label !== undefined || (b.comment !== undefined && b.comment !== ""), {
    message: "give a value, a label or a comment",
    path: ["value"],
  });
export type CreateScoreBody = z.infer<typeof CreateScoreBodySchema>;

/** An LM judge's score of a run's output against criteria (and an optional reference answer). */
export const JudgeRunBodySchema = z.strictObject({
  name: ScoreNameSchema.default("judge"),
  criteria: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters"),
  /** The expected outputs, when known; the judge compares against them. */
  reference: z.record(z.string(), z.unknown()).optional(),
  /** The judge's model (default: the runtime's default model). */
  model: z.string().trim().min(1).max(200).optional(),
});
export type JudgeRunBody = z.input<typeof JudgeRunBodySchema>;

export const METRIC_NAMES = ["exact_match", "f1", "numeric_match"] as const;
/** A metric's score of a run's output against the expected outputs. */
export const MetricScoreBodySchema = z.strictObject({
  metric: z.enum(METRIC_NAMES),
  /** The output field compared (default: every field of `expected` for exact_match, "answer" otherwise). */
  field: z.string().trim().min(1).max(100).optional(),
  expected: z.record(z.string(), z.unknown()),
  name: ScoreNameSchema.optional(),
});
export type MetricScoreBody = z.input<typeof MetricScoreBodySchema>;

export const RunScoreParamsSchema = z.object({ id: IdSchema });

// ---------------------------------------------------------------- annotation queues

export const CreateAnnotationQueueBodySchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  description: z.string().trim().max(1000).default(""),
  /** The scores a reviewer gives each run (default: thumbs). */
  scoreNames: z.array(ScoreNameSchema).min(1).max(10).default(["thumbs"]),
});
export type CreateAnnotationQueueBody = z.input<typeof CreateAnnotationQueueBodySchema>;

export const AnnotationQueueSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  scoreNames: z.array(z.string()),
  pending: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
});
export type AnnotationQueue = z.infer<typeof AnnotationQueueSchema>;
export const AnnotationQueueListSchema = z.object({ items: z.array(AnnotationQueueSchema) });

export const AddQueueItemsBodySchema = z.strictObject({
  runIds: z.array(IdSchema).min(1, "must hold at least one run id").max(500, "must hold at most 500 run ids"),
});
export type AddQueueItemsBody = z.infer<typeof AddQueueItemsBodySchema>;
export const AddQueueItemsResponseSchema = z.object({ added: z.number().int().nonnegative(), alreadyQueued: z.number().int().nonnegative() });

/** The next run waiting in a queue (null when none is), with what a reviewer reads. */
export const QueueNextSchema = z.object({
  queue: AnnotationQueueSchema,
  item: z
    .object({
      id: z.string(),
      runId: z.string(),
      programName: z.string().nullable(),
      input: z.unknown(),
      output: z.unknown(),
      error: z.string().nullable(),
      startedAt: z.iso.datetime(),
    })
    .nullable(),
});
export type QueueNext = z.infer<typeof QueueNextSchema>;

export const QueueIdParamsSchema = z.object({ id: IdSchema });
export const QueueItemParamsSchema = z.object({ id: IdSchema, itemId: IdSchema });
export const QueueItemDoneSchema = z.object({ id: z.string(), status: z.literal("done") });
