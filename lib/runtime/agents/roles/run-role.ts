// Runs an agent's role for one message, optionally under a rollout id of its own: asking again
// (a new review round) then gets a fresh sample past any cache, as with a person asked twice.
import type { Values } from "../../../dspex";
import type { AgentContext } from "../types";

export function runRoleWith(ctx: AgentContext, inputs: Values, rolloutId?: string): Promise<Values> {
  if (rolloutId === undefined || !ctx.role || !ctx.runContext) return ctx.runRole(inputs);
  return ctx.role.run(inputs, { ...ctx.runContext, rolloutId });
}
