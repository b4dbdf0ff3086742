// Inputs of the API-key store functions.
import { z } from "zod";
import { IdSchema, PageQuerySchema, QueryBooleanSchema } from "./pagination";

export const CreateApiKeySchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  userId: IdSchema.nullish(),
  /** Requests per minute with this key (null: the server default). */
  rateLimitPerMinute: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000").nullish(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeySchema>;

export const ApiKeyListQuerySchema = PageQuerySchema.extend({
  includeRevoked: QueryBooleanSchema.default(false),
  userId: IdSchema.optional(),
});
export type ApiKeyListQuery = z.input<typeof ApiKeyListQuerySchema>;
