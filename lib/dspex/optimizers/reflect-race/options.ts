import { z } from "zod";
import type { LMSettings } from "../../lm/types";
import { parseOptimizerOptions } from "../optimizer-options";

const count = (what: string, fallback: number, min = 1) =>
  z
    .number({ message: `must be a whole number >= ${min} (${what}, default ${fallback})` })
    .int({ message: `must be a whole number >= ${min} (${what}, default ${fallback})` })
    .min(min, { message: `must be a whole number >= ${min} (${what}, default ${fallback})` })
    .default(fallback);

export const ReflectRaceOptionsSchema = z.strictObject({
  demoSets: count("candidate demo sets the teacher's runs are split into", 2),
  demos: count("demos per set, at most the demo variable's limit", 4),
  proposals: count("instruction proposals per round", 2, 0),
  probeSize: count("training examples the program runs on to show the reflection its errors", 8),
  rounds: count("rounds of proposals and races at most", 5),
  /** The score of a fully correct example (below it, an example counts as an error). */
  perfectScore: z.number({ message: "must be a number (default 1)" }).default(1),
  teacherSettings: z
    .custom<LMSettings>((v) => typeof v === "object" && v !== null && !Array.isArray(v), { message: "must be LM settings, e.g. { model }" })
    .optional(),
});

export type ReflectRaceOptions = z.input<typeof ReflectRaceOptionsSchema>;
export type ReflectRaceSettings = z.output<typeof ReflectRaceOptionsSchema>;

export function parseReflectRaceOptions(input: ReflectRaceOptions | undefined): ReflectRaceSettings {
  return parseOptimizerOptions("ReflectRace", ReflectRaceOptionsSchema, input);
}
