// The marketplace over HTTP: every installed skill and action with where it comes from (a file of
// the programs folder, or an npm package and its version), its schemas and declared permissions,
// the agent systems that use it, its calls, errors and cost, and whether it may run.
import { z } from "zod";

const iso = z.iso.datetime();

export const ActionNameParamsSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "must be an action name: a letter, then letters, digits, _ or - (at most 64)"),
});

export const ActionPermissionsViewSchema = z.object({
  network: z.array(z.string()),
  timeoutMs: z.number().int(),
  maxCostUsd: z.number(),
  memoryMb: z.number().int(),
});

export const SkillOriginViewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("folder"), file: z.string() }),
  z.object({ kind: z.literal("package"), name: z.string(), version: z.string(), permissions: ActionPermissionsViewSchema }),
]);
export type SkillOriginView = z.infer<typeof SkillOriginViewSchema>;

export const ActionUsageTotalsSchema = z.object({
  calls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** Mean time per call, ms (null before the first call). */
  meanMs: z.number().nonnegative().nullable(),
  lastError: z.string().nullable(),
  lastAt: iso.nullable(),
});

export const MarketplaceActionSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The skill it came in, if any. */
  skill: z.string().nullable(),
  /** "programs/x.ts" or "npm:<package>". */
  source: z.string(),
  origin: SkillOriginViewSchema,
  /** JSON Schemas of its input and output (null when it declares none). */
  input: z.record(z.string(), z.unknown()).nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
  enabled: z.boolean(),
  /** Without an administrator's decision: folder actions on, package actions off. */
  enabledByDefault: z.boolean(),
  /** The last decision (who and when), or null when the default holds. */
  decision: z.object({ by: z.string().nullable(), at: iso }).nullable(),
  /** Declared agent systems whose agents mount it. */
  usedBy: z.array(z.string()),
  /** The last 30 days, summed over every process. */
  usage: ActionUsageTotalsSchema,
});
export type MarketplaceAction = z.infer<typeof MarketplaceActionSchema>;

export const MarketplaceSkillSchema = z.object({
  name: z.string(),
  description: z.string(),
  source: z.string(),
  origin: SkillOriginViewSchema,
  actions: z.array(z.string()),
  /** Message types it answers (skills of the programs folder only). */
  handles: z.array(z.string()),
  usedBy: z.array(z.string()),
});
export type MarketplaceSkill = z.infer<typeof MarketplaceSkillSchema>;

export const MarketplacePackageSchema = z.object({
  name: z.string(),
  version: z.string(),
  permissions: ActionPermissionsViewSchema,
  actions: z.array(z.string()),
  skills: z.array(z.string()),
});

export const MarketplaceSchema = z.object({
  actions: z.array(MarketplaceActionSchema),
  skills: z.array(MarketplaceSkillSchema),
  packages: z.array(MarketplacePackageSchema),
  /** Files and packages that could not be loaded, with why. */
  loadErrors: z.array(z.object({ source: z.string(), message: z.string() })),
});
export type Marketplace = z.infer<typeof MarketplaceSchema>;

export const SetActionEnabledBodySchema = z.strictObject({ enabled: z.boolean() });
export type SetActionEnabledBody = z.infer<typeof SetActionEnabledBodySchema>;
