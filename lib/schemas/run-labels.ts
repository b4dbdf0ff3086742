// What a prediction may say about itself (tags, its caller's user and session ids), recorded on
// its run and searchable.
import { z } from "zod";

export const MAX_RUN_TAGS = 20;

/** A tag: letters, digits and `_ - . : /`, 1-64 characters. */
export const RunTagSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[\p{L}\p{N}_\-.:/]+$/u, "may hold only letters, digits and _ - . : /");

/** The caller's own id of an end user or a conversation. */
export const CallerRefSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

/** What a prediction may say about itself, recorded on its run and searchable. */
export const RunLabelsSchema = z.object({
  tags: z.array(RunTagSchema).max(MAX_RUN_TAGS, `must hold at most ${MAX_RUN_TAGS} tags`).optional(),
  userId: CallerRefSchema.optional(),
  sessionId: CallerRefSchema.optional(),
});
export type RunLabels = z.infer<typeof RunLabelsSchema>;
