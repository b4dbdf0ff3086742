// dspex init [dir] [--name sentiment]: a program file and its small dataset in <dir>/programs,
// ready to run, evaluate, optimize and serve. Refuses to overwrite.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CliError, EXIT } from "../errors";
import type { Output } from "../output";

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

const program = (name: string) => `// ${name}: the sentiment of a product review. Edit it while \`dspex serve\` runs: it reloads.
import { readFileSync } from "node:fs";
import { Predict, defineSignature, t, type Example, type Values } from "dspex";
import { defineServedProgram, type ServedExample } from "dspex/runtime";
import { z } from "zod";

const signature = defineSignature({
  instructions: "Classify the sentiment of the product review.",
  inputs: { review: z.string().describe("A customer's review of a product.") },
  outputs: {
    sentiment: t.labels({
      positive: "The customer is happy: loves it, great, works well, would recommend.",
      negative: "The customer is unhappy: broken, terrible, refund, disappointed.",
      neutral: "Neither happy nor unhappy: okay, average, fine, as described.",
    }),
  },
});

// The examples live next to this file, one JSON object per line.
const dataset = readFileSync(new URL("./${name}.jsonl", import.meta.url), "utf8")
  .split("\\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as ServedExample);

export default defineServedProgram({
  name: "${name}",
  description: "The sentiment (positive, negative, neutral) of a product review.",
  program: new Predict(signature),
  variables: { temperature: [0, 1] },
  dataset,
  metric: (example: Example, prediction: Values) => (prediction.sentiment === example.outputs.sentiment ? 1 : 0),
});
`;

const EXAMPLES: readonly [string, string, string][] = [
  ["I love this kettle, it works well and boils fast. Great buy.", "positive", "train"],
  ["The blender stopped working after a week. Terrible, I want a refund.", "negative", "train"],
  ["It is okay. Does what it says, nothing special.", "neutral", "train"],
  ["Excellent headphones, I would recommend them to anyone.", "positive", "train"],
  ["Broken on arrival and support never answered. Disappointed.", "negative", "train"],
  ["Arrived on time and as described. Average quality.", "neutral", "train"],
  ["Great value, the battery lasts for days. Love it.", "positive", "train"],
  ["A waste of money, the handle broke the second time I used it.", "negative", "train"],
  ["Excellent build quality and it works well with my phone.", "positive", "validation"],
  ["Terrible sound, and it stopped working after two days.", "negative", "validation"],
  ["It is fine. Average size, average color, as described.", "neutral", "validation"],
  ["I would recommend this lamp, it is great and bright.", "positive", "validation"],
  ["Disappointed: the zipper is broken and the refund took weeks.", "negative", "validation"],
  ["Okay product, nothing special but it does the job.", "neutral", "validation"],
];

export async function initCommand(dir: string | undefined, options: { name?: string }, out: Output): Promise<void> {
  const name = options.name ?? "sentiment";
  if (!NAME.test(name)) throw new CliError(`--name "${name}" must start with a lowercase letter and hold only lowercase letters, digits and "-"`, EXIT.usage);
  const programs = path.resolve(dir ?? ".", "programs");
  const file = path.join(programs, `${name}.ts`);
  const data = path.join(programs, `${name}.jsonl`);
  for (const f of [file, data]) if (existsSync(f)) throw new CliError(`${f} exists already; choose another --name`, EXIT.usage);
  await mkdir(programs, { recursive: true });
  await writeFile(file, program(name));
  await writeFile(data, EXAMPLES.map(([review, sentiment, split]) => JSON.stringify({ inputs: { review }, outputs: { sentiment }, split })).join("\n") + "\n");
  const rel = path.relative(process.cwd(), file) || file;
  out.result({ program: file, dataset: data, name }, () =>
    [
      `created ${rel} and ${path.relative(process.cwd(), data) || data}`,
      "next:",
      `  dspex run ${rel} --input '{"review": "Works well, would recommend."}'`,
      `  dspex eval ${rel}`,
      `  dspex optimize ${rel} --budget calls=300`,
      `  dspex serve --programs-dir ${path.relative(process.cwd(), programs) || "."}`,
    ].join("\n"),
  );
}
