// Inputs of the dataset store functions and of dataset import (JSONL / CSV).
import { z } from "zod";
import { IdSchema, PageQuerySchema, pageSchema } from "./pagination";

export const DatasetNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must use only lowercase letters, digits, ., - and _ (e.g. support-tickets)");

export const ExampleSplitSchema = z.enum(["train", "validation", "test"]);
export type ExampleSplit = z.infer<typeof ExampleSplitSchema>;

const ValuesSchema = z.record(z.string(), z.json());

export const ExampleInputSchema = z.object({
  inputs: ValuesSchema,
  outputs: ValuesSchema.default({}),
  split: ExampleSplitSchema.default("train"),
});
export type ExampleInput = z.input<typeof ExampleInputSchema>;

export const MAX_EXAMPLES_PER_VERSION = 100_000;

export const CreateDatasetSchema = z.object({
  name: DatasetNameSchema,
  description: z.string().max(2000, "must be at most 2000 characters").default(""),
});
export type CreateDatasetInput = z.input<typeof CreateDatasetSchema>;

export const CreateDatasetVersionSchema = z.object({
  datasetName: DatasetNameSchema,
  examples: z.array(ExampleInputSchema).min(1, "must hold at least one example").max(MAX_EXAMPLES_PER_VERSION, `must hold at most ${MAX_EXAMPLES_PER_VERSION} examples`),
  message: z.string().max(1000).default(""),
  /** The version this one derives from (default: the latest version, if any). */
  parentId: IdSchema.optional(),
});
export type CreateDatasetVersionInput = z.input<typeof CreateDatasetVersionSchema>;

export const DatasetListQuerySchema = PageQuerySchema.extend({ search: z.string().trim().max(100).optional() });
export type DatasetListQuery = z.input<typeof DatasetListQuerySchema>;

export const DatasetVersionListQuerySchema = PageQuerySchema.extend({ datasetName: DatasetNameSchema });
export type DatasetVersionListQuery = z.input<typeof DatasetVersionListQuerySchema>;

export const ExampleListQuerySchema = PageQuerySchema.extend({
  versionId: IdSchema,
  split: ExampleSplitSchema.optional(),
});
export type ExampleListQuery = z.input<typeof ExampleListQuerySchema>;

const fraction = (what: string) =>
  z
    .number({ message: `${what} must be a number from 0 to 1` })
    .min(0, `${what} must be at least 0`)
    .max(0.9, `${what} must be at most 0.9 (something must stay for training)`);

const inRange = (f: number) => f >= 0 && f <= 0.9;

/** Re-splits every example of a version, reproducibly from the seed. */
export const SplitDatasetSchema = z
  .object({
    validationFraction: fraction("validationFraction"),
    testFraction: fraction("testFraction").default(0),
    seed: z.number().int("must be a whole number").default(0),
    message: z.string().max(1000).optional(),
  })
  .refine((o) => !inRange(o.validationFraction) || !inRange(o.testFraction) || o.validationFraction + o.testFraction < 1, {
    message: "validationFraction + testFraction must be below 1 (something must stay for training)",
    path: ["validationFraction"],
  });
export type SplitDatasetInput = z.input<typeof SplitDatasetSchema>;

/** Where a column (CSV) or key (JSONL) goes: `input.<field>`, `output.<field>`, `split`, or `ignore`. */
export const ColumnTargetSchema = z
  .string()
  .regex(/^((input|output)\.[A-Za-z_][A-Za-z0-9_]*|split|ignore)$/, 'must be "input.<field>", "output.<field>", "split" or "ignore"');

export const DatasetImportOptionsSchema = z.object({
  format: z.enum(["jsonl", "csv"]),
  /** Column (or flat JSONL key) -> target; without it columns must be named input.<f> / output.<f> / split, or match the signature's fields. */
  mapping: z.record(z.string(), ColumnTargetSchema).optional(),
  /** The split of rows that name none (default train). */
  defaultSplit: ExampleSplitSchema.default("train"),
  /** Refuse files with more rows than this. */
  maxRows: z.number().int().min(1).max(MAX_EXAMPLES_PER_VERSION).default(MAX_EXAMPLES_PER_VERSION),
});
export type DatasetImportOptions = z.input<typeof DatasetImportOptionsSchema>;

// ---------------------------------------------------------------- the datasets API (wire shapes)

/** Largest file content accepted by POST /api/v1/datasets/import, in characters (larger: 413). */
export const MAX_IMPORT_CONTENT_CHARS = 5_000_000;

export const DatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  latestVersion: z.object({ id: z.string(), number: z.number().int(), exampleCount: z.number().int() }).nullable(),
  versionCount: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type DatasetWire = z.infer<typeof DatasetSchema>;

export const SplitCountsSchema = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });

export const DatasetVersionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  number: z.number().int(),
  parentId: z.string().nullable(),
  message: z.string(),
  exampleCount: z.number().int().nonnegative(),
  splits: SplitCountsSchema,
  createdAt: z.string(),
});
export type DatasetVersionWire = z.infer<typeof DatasetVersionSchema>;

export const ExampleSchema = z.object({
  id: z.string(),
  position: z.number().int(),
  split: ExampleSplitSchema,
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
});
export type ExampleWire = z.infer<typeof ExampleSchema>;

export const DatasetPageSchema = pageSchema(DatasetSchema);
export const DatasetVersionPageSchema = pageSchema(DatasetVersionSchema);
export const ExamplePageSchema = pageSchema(ExampleSchema);

export const DatasetParamsSchema = z.object({ name: z.string() });
export const DatasetVersionParamsSchema = z.object({ name: z.string(), versionId: z.string() });

export const DatasetVersionsQuerySchema = PageQuerySchema;
export const DatasetExamplesQuerySchema = PageQuerySchema.extend({ split: ExampleSplitSchema.optional() });
export type DatasetExamplesQuery = z.input<typeof DatasetExamplesQuerySchema>;

/**
 * POST /api/v1/datasets/import: a JSONL or CSV file's text, stored as a new version of the dataset
 * `name` (created when missing). With `programName`, rows are checked against that program's signature.
 */
export const ImportDatasetBodySchema = z.strictObject({
  name: DatasetNameSchema,
  description: z.string().max(2000, "must be at most 2000 characters").optional(),
  format: z.enum(["jsonl", "csv"], { message: 'must be "jsonl" or "csv"' }),
  content: z.string({ message: "must be the file's text" }),
  programName: z.string().trim().min(1).max(100).optional(),
  mapping: z.record(z.string(), ColumnTargetSchema).optional(),
  defaultSplit: ExampleSplitSchema.optional(),
  message: z.string().max(1000).optional(),
});
export type ImportDatasetBody = z.input<typeof ImportDatasetBodySchema>;

export const ImportDatasetResponseSchema = z.object({ dataset: DatasetSchema, version: DatasetVersionSchema });
export type ImportDatasetResponse = z.infer<typeof ImportDatasetResponseSchema>;
