import { z } from "zod";

/** What the server says about itself: shown on the Overview and pushed live as `system:status`. */
export const SystemStatusSchema = z.object({
  version: z.string(),
  startedAt: z.iso.datetime(),
  now: z.iso.datetime(),
  uptimeSeconds: z.number().nonnegative(),
  database: z.object({
    backend: z.enum(["pglite", "postgres"]),
    location: z.string(),
    migrationsApplied: z.number().int().nonnegative(),
  }),
  lm: z.object({
    mode: z.enum(["demo", "provider"]),
    baseUrl: z.string().nullable(),
    model: z.string().nullable(),
  }),
  realtime: z.object({ clients: z.number().int().nonnegative() }),
  memory: z.object({ rssBytes: z.number().nonnegative(), heapUsedBytes: z.number().nonnegative() }),
});
export type SystemStatus = z.infer<typeof SystemStatusSchema>;

export const HealthSchema = z.object({ status: z.literal("ok") });
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
