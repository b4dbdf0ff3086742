import { z } from "zod";

/** What kind of configuration changed. Every process drops what it cached of it; browsers refetch. */
export const ConfigChangeKindSchema = z.enum(["version", "promotion", "budget", "dataset", "provider", "price", "key", "user", "action", "alert", "experiment"]);
export type ConfigChangeKind = z.infer<typeof ConfigChangeKindSchema>;

/**
 * A configuration change, as every process and every browser receives it: which kind, the id of
 * the changed object, and for versions and promotions the program's name (caches are keyed by it).
 * It says only what changed, never the new value: receivers read that from the database.
 */
export const ConfigChangeSchema = z.object({
  kind: ConfigChangeKindSchema,
  id: z.string().min(1).max(200),
  program: z.string().max(200).optional(),
  at: z.iso.datetime(),
});
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;
