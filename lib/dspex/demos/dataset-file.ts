// The committed dataset files: `{ name, examples: [{ id, split, inputs, outputs }] }`, read
// through zod so a hand edit that breaks the shape fails loudly at import.
import { z } from "zod";
import { DspexError } from "../errors";
import type { Example } from "../evaluate";
import type { Values } from "../signatures/types";
import type { DemoDataset } from "./types";

export const DatasetRecordSchema = z.object({
  id: z.string().min(1),
  split: z.enum(["train", "validation"]),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
});

export const DatasetFileSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  examples: z.array(DatasetRecordSchema).min(1),
});

export type DatasetRecord = z.infer<typeof DatasetRecordSchema>;
export type DatasetFile = z.infer<typeof DatasetFileSchema>;

/** Splits a dataset file into frozen train and validation examples, checked by the given schemas. */
export function loadDataset<I extends Values, O extends Values>(
  raw: unknown,
  schemas: { inputs: z.ZodType<I>; outputs: z.ZodType<O> },
): DemoDataset<I, O> {
  const parsed = DatasetFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DspexError("OPTION_INVALID", `demo dataset: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const toExample = (record: DatasetRecord): Example<I, O> => {
    const inputs = schemas.inputs.safeParse(record.inputs);
    const outputs = schemas.outputs.safeParse(record.outputs);
    if (!inputs.success || !outputs.success) {
      throw new DspexError("OPTION_INVALID", `demo dataset "${parsed.data.name}": example "${record.id}" does not match the task's fields`);
    }
    return Object.freeze({ id: record.id, inputs: Object.freeze(inputs.data), outputs: Object.freeze(outputs.data) });
  };
  const pick = (split: DatasetRecord["split"]) => Object.freeze(parsed.data.examples.filter((e) => e.split === split).map(toExample));
  return Object.freeze({ train: pick("train"), validation: pick("validation") });
}
