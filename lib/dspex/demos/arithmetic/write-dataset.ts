// Regenerates dataset.json: `node --import tsx lib/dspex/demos/arithmetic/write-dataset.ts`.
import { writeFileSync } from "node:fs";
import { arithmeticDatasetText } from "./generate-problems";

const target = new URL("./dataset.json", import.meta.url);
writeFileSync(target, arithmeticDatasetText());
process.stdout.write(`wrote ${target.pathname}\n`);
