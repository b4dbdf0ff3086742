import { z } from "zod";
import type { LMSettings } from "../../lm/types";
import { JsonValueSchema, type Config } from "../../variables";

const count = (what: string, fallback: number) =>
  z
    .number({ message: `must be a whole number >= 0 (default ${fallback})` })
    .int({ message: `must be a whole number >= 0 (default ${fallback})` })
    .min(0, { message: `must be a whole number >= 0 (default ${fallback})` })
    .default(fallback)
    .describe(what);

/** Options every bootstrapping optimizer shares (BootstrapFewShot's, as in DSPy). */
export const bootstrapShape = (defaults: { maxLabeledDemos: number }) => ({
  maxBootstrappedDemos: count("Bootstrapped (teacher-traced) demos per step at most", 4),
  maxLabeledDemos: count("Demos per step at most, counting bootstrapped ones; labeled examples fill the rest", defaults.maxLabeledDemos),
  maxRounds: z
    .number({ message: "must be a whole number >= 1 (default 1)" })
    .int({ message: "must be a whole number >= 1 (default 1)" })
    .min(1, { message: "must be a whole number >= 1 (default 1)" })
    .default(1),
  metricThreshold: z.number({ message: "must be a number (default: any score above 0 passes)" }).finite({ message: "must be a finite number" }).optional(),
  teacher: z.record(z.string(), JsonValueSchema, { message: "must be a configuration: an object of variable values" }).optional(),
  teacherSettings: z
    .custom<LMSettings>((v) => typeof v === "object" && v !== null && !Array.isArray(v), { message: "must be LM settings, e.g. { model, temperature }" })
    .optional(),
});

export interface BootstrapSettings {
  readonly maxBootstrappedDemos: number;
  readonly maxLabeledDemos: number;
  readonly maxRounds: number;
  /** A trace passes when its score is at least this; without it, any score above 0 passes. */
  readonly metricThreshold?: number;
  /** The teacher: a configuration of the space (default: the program as it is). */
  readonly teacher?: Config;
  /** LM settings forced on the teacher's calls (e.g. a stronger model). */
  readonly teacherSettings?: LMSettings;
}
