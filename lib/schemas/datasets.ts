// Inputs of the dataset store functions and of dataset import (JSONL / CSV).
import { z } from "zod";
import { IdSchema, PageQuerySchema } from "./pagination";

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
