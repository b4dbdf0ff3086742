import { z } from "zod";

export const STATE_FORMAT = "dspex.program-state";
export const STATE_VERSION = 1;

export const LMSettingsSchema = z
  .object({
    model: z.string().min(1).optional(),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    topP: z.number().min(0).max(1).optional(),
    stop: z.array(z.string()).optional(),
    seed: z.number().int().optional(),
    reasoningEffort: z.enum(["minimal", "low", "medium", "high"]).optional(),
  })
  .strict();

export const PredictorStateSchema = z
  .object({
    /** Field names of the signature it was saved from, to detect a mismatch on load. */
    signature: z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()) }),
    instructions: z.string().optional(),
    demos: z.array(z.record(z.string(), z.unknown())),
    settings: LMSettingsSchema,
    adapter: z.enum(["chat", "json"]).optional(),
    variables: z.record(z.string(), z.unknown()),
  })
  .strict();

export const ProgramStateSchema = z
  .object({
    format: z.literal(STATE_FORMAT),
    version: z.literal(STATE_VERSION),
    program: z.string().optional(),
    savedAt: z.string().optional(),
    predictors: z.record(z.string(), PredictorStateSchema),
  })
  .strict();

export type PredictorState = z.infer<typeof PredictorStateSchema>;
export type ProgramState = z.infer<typeof ProgramStateSchema>;
