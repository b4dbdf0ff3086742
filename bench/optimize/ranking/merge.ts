// The ranking tables from saved records, for a ranking run in parts (one process per seed, say):
//   OPT_SEEDS=1 OPT_SKIP=samplers,wall-time npm run bench -- optimize   (and so on per seed)
//   node --import tsx bench/optimize/ranking/merge.ts bench/results/optimize-ranking-*.json
// Prints the same tables `npm run bench -- optimize` prints for the records of all the files.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { RunRecord } from "./summary";
import { rankingTables } from "./tables";

const RecordSchema = z.object({
  task: z.string(),
  budget: z.number(),
  seed: z.number(),
  framework: z.enum(["DSPEx", "Ax"]),
  optimizer: z.string(),
  calls: z.number(),
  usd: z.number(),
  valBaseline: z.number(),
  valFinal: z.number(),
  testBaseline: z.number(),
  testFinal: z.number(),
  seconds: z.number(),
  note: z.string().optional(),
  plan: z.string().optional(),
});
const FileSchema = z.object({ suite: z.literal("optimize-ranking"), records: z.array(RecordSchema) });

async function main(files: readonly string[]): Promise<void> {
  if (files.length === 0) throw new Error("merge: give one or more bench/results/optimize-ranking-*.json files");
  const records: RunRecord[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const parsed = FileSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success) throw new Error(`merge: ${file} is not an optimizer-ranking record file: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    for (const r of parsed.data.records) {
      const key = `${r.task}|${r.budget}|${r.seed}|${r.framework}|${r.optimizer}`;
      if (seen.has(key)) throw new Error(`merge: ${key} appears in more than one file`);
      seen.add(key);
      records.push(r);
    }
  }
  console.log(rankingTables(records));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
