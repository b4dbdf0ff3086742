// The one pagination shape (house rule 13): a 1-based `page` and a `limit` of 1-100 (default 50)
// in; `{ items, total, page, limit }` out. Numbers are coerced so URL search params parse as-is.
import { z } from "zod";

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;

export const PageQuerySchema = z.object({
  page: z.coerce.number().int("must be a whole number").min(1, "must be 1 or more (pages start at 1)").default(1),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(PAGE_LIMIT_MAX, `must be at most ${PAGE_LIMIT_MAX}`)
    .default(PAGE_LIMIT_DEFAULT),
});
/** What a caller passes (both fields optional). */
export type PageQuery = z.input<typeof PageQuerySchema>;
/** After parsing: both fields present. */
export type PageParams = z.output<typeof PageQuerySchema>;

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly limit: number;
}

/** The response schema of a paged list of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().nonnegative(),
    page: z.number().int().min(1),
    limit: z.number().int().min(1).max(PAGE_LIMIT_MAX),
  });
}

/** A boolean from JSON (true/false) or from a query string ("true"/"false"). */
export const QueryBooleanSchema = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** An id of a stored row (uuid or a span id); kept loose so a bad id is "not found", not a crash. */
export const IdSchema = z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters");

/** A point in time from JSON (ISO string) or a Date; query strings parse too. */
export const DateInputSchema = z.coerce.date({ message: "must be a date (ISO 8601, e.g. 2026-01-31T00:00:00Z)" });
