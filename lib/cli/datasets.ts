// Examples for eval and optimize: a JSONL file ({ inputs, outputs, split? } per line) or a stored
// dataset by name (its latest version, through the API).
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { DatasetSchema, ExamplePageSchema, ImportDatasetResponseSchema } from "../schemas";
import type { ApiClient } from "./client";
import { CliError, EXIT } from "./errors";

export interface CliExample {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly split: "train" | "validation" | "test";
}

const LineSchema = z.object({
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()).default({}),
  split: z.enum(["train", "validation", "test"]).default("train"),
});

export const isFile = (ref: string) => /\.jsonl$/i.test(ref);

export async function readJsonl(file: string): Promise<CliExample[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, EXIT.notFound);
  }
  return text.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new CliError(`${file}:${i + 1}: not JSON (${(err as Error).message})`, EXIT.invalid);
    }
    const parsed = LineSchema.safeParse(value);
    if (!parsed.success) throw new CliError(`${file}:${i + 1}: ${parsed.error.issues.map((e) => `${e.path.join(".") || "line"} ${e.message}`).join("; ")}`, EXIT.invalid);
    return [parsed.data];
  });
}

/** Every example of a stored dataset's latest version, with its version id. */
export async function readStoredDataset(api: ApiClient, name: string): Promise<{ versionId: string; examples: CliExample[] }> {
  const dataset = await api.get(`/api/v1/datasets/${encodeURIComponent(name)}`, DatasetSchema);
  if (!dataset.latestVersion) throw new CliError(`dataset "${name}" has no version yet`, EXIT.notFound);
  const examples: CliExample[] = [];
  for (let page = 1; ; page++) {
    const got = await api.get(`/api/v1/datasets/${encodeURIComponent(name)}/versions/${dataset.latestVersion.id}/examples?page=${page}&limit=100`, ExamplePageSchema);
    examples.push(...got.items.map((e) => ({ inputs: e.inputs, outputs: e.outputs, split: e.split })));
    if (page * got.limit >= got.total) break;
  }
  return { versionId: dataset.latestVersion.id, examples };
}

/** Stores a JSONL file as a new version of the dataset named `name` (checked by the server against the program). */
export async function importJsonl(api: ApiClient, file: string, name: string, programName: string): Promise<string> {
  const content = await readFile(file, "utf8");
  const made = await api.post("/api/v1/datasets/import", { name, format: "jsonl", content, programName, message: `dspex: ${file}` }, ImportDatasetResponseSchema);
  return made.version.id;
}
