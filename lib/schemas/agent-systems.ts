// Declared agent systems (files of the programs folder that default-export defineAgentSystem) over
// HTTP: list them with their groups and agents, call one at its entry, scale a group, stop and
// restart; and the marketplace: every installed action with its source, schemas, users and usage.
import { z } from "zod";

export const AgentSystemNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be an agent system name: lowercase letters, digits, "-" and "_" (at most 63)');

export const DeclaredAgentSystemParamsSchema = z.object({ name: AgentSystemNameSchema });

export const DeclaredAgentSchema = z.object({
  id: z.string(),
  group: z.string(),
  /** The cluster node running it (scaled out), else null. */
  node: z.string().nullable(),
  /** idle, busy, waiting, restarting, stopped; "running"/"starting" across processes; null when unknown here. */
  state: z.string().nullable(),
  processed: z.number().int().nonnegative().nullable(),
  restarts: z.number().int().nonnegative(),
});
export type DeclaredAgent = z.infer<typeof DeclaredAgentSchema>;

export const AgentGroupViewSchema = z.object({
  name: z.string(),
  count: z.number().int().nonnegative(),
  capabilities: z.array(z.string()),
});

export const DeclaredAgentSystemSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The file that declares it, e.g. "programs/text-desk.ts". */
  source: z.string(),
  /** The group or capability a call is sent to. */
  entry: z.string(),
  mode: z.enum(["embedded", "cluster"]),
  /** "running", "stopped", or "failed: <why>". */
  state: z.string(),
  groups: z.array(AgentGroupViewSchema),
  agents: z.array(DeclaredAgentSchema),
});
export type DeclaredAgentSystem = z.infer<typeof DeclaredAgentSystemSchema>;

export const DeclaredAgentSystemListSchema = z.object({
  items: z.array(DeclaredAgentSystemSchema),
  /** Files of the programs folder that declare a system but could not be started (loading errors). */
  loadErrors: z.array(z.object({ source: z.string(), message: z.string() })),
});
export type DeclaredAgentSystemList = z.infer<typeof DeclaredAgentSystemListSchema>;

export const CallAgentSystemBodySchema = z.strictObject({
  /** The payload of the message sent to the system's entry. */
  input: z.json(),
  /** How long to wait for the reply (default 30 s). */
  timeoutMs: z.number().int("must be a whole number").min(1, "must be at least 1").max(300_000, "must be at most 300000 (5 minutes)").optional(),
});
export type CallAgentSystemBody = z.infer<typeof CallAgentSystemBodySchema>;

export const AgentSystemReplySchema = z.object({
  /** What the entry's handler (or action) answered; an action answers { ok, value } or { ok: false, error }. */
  output: z.unknown(),
  latencyMs: z.number().nonnegative(),
});
export type AgentSystemReply = z.infer<typeof AgentSystemReplySchema>;

export const ScaleAgentSystemBodySchema = z.strictObject({
  group: z.string().min(1, "must name a group of the system"),
  count: z.number().int("must be a whole number").min(0, "must be 0 or more").max(1000, "must be at most 1000"),
});
export type ScaleAgentSystemBody = z.infer<typeof ScaleAgentSystemBodySchema>;
