// Inputs of the API-key store functions.
import { z } from "zod";
import { API_SCOPES, ApiScopeSchema, DEFAULT_KEY_SCOPES } from "./access";
import { IdSchema, PageQuerySchema, QueryBooleanSchema } from "./pagination";

export const CreateApiKeySchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  userId: IdSchema.nullish(),
  /** Requests per minute with this key (null: the server default). */
  rateLimitPerMinute: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000").nullish(),
  /** What the key may do (default: predict only). */
  scopes: z.array(ApiScopeSchema).min(1, "must name at least one scope").max(API_SCOPES.length).default([...DEFAULT_KEY_SCOPES]),
  /** The programs the key may use (empty: every program). */
  programs: z.array(z.string().min(1).max(100)).max(100).default([]),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeySchema>;

export const ApiKeyListQuerySchema = PageQuerySchema.extend({
  includeRevoked: QueryBooleanSchema.default(false),
  userId: IdSchema.optional(),
});
export type ApiKeyListQuery = z.input<typeof ApiKeyListQuerySchema>;

// ---------------------------------------------------------------- the API (/api/v1/api-keys)

/** A key as lists show it: never the key or its hash. */
export const ApiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The visible start of the key, e.g. dspx_live_AbC123xY. */
  prefix: z.string(),
  userId: z.string().nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
  scopes: z.array(ApiScopeSchema),
  programs: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyViewData = z.infer<typeof ApiKeyViewSchema>;

export const ApiKeyPageSchema = z.object({
  items: z.array(ApiKeyViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
});

/** POST /api/v1/api-keys: members create keys for themselves; administrators may name another user. */
export const CreateApiKeyBodySchema = z.strictObject({
  name: CreateApiKeySchema.shape.name,
  rateLimitPerMinute: CreateApiKeySchema.shape.rateLimitPerMinute,
  scopes: CreateApiKeySchema.shape.scopes,
  programs: CreateApiKeySchema.shape.programs,
  /** Whose key (administrators only; default: the caller). */
  userId: IdSchema.optional(),
});
export type CreateApiKeyBody = z.input<typeof CreateApiKeyBodySchema>;

/** The answer to a create: the full key, shown once. */
export const CreatedApiKeySchema = z.object({ key: z.string(), apiKey: ApiKeyViewSchema });
