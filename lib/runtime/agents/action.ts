// An action is a typed unit of work an agent performs: the framework's Tool (zod input and output,
// a run function, a time limit) plus an optional cost limit. A ReAct tool and an agent action are
// the same object, so a skill's actions can be handed to ReAct as tools unchanged.
import { defineTool, invokeTool, type Tool, type ToolContext, type ToolOutcome } from "../../dspex";

export interface ActionLimits {
  /** Abandon a run that takes longer (default 30 s). */
  readonly timeoutMs?: number;
  /** Refuse to start when the caller's remaining money (ActionContext.remainingUsd) is below this. */
  readonly maxCostUsd?: number;
}

export interface ActionContext extends ToolContext {
  /** Money the caller may still spend, when it knows (agents pass their budget's remainder). */
  readonly remainingUsd?: number;
  /** The action reports money it spent (a paid API, an LM call): counted in its usage and checked against its limit. */
  readonly reportCost?: (usd: number) => void;
}

export interface Action<I = unknown, O = unknown> extends Tool<I, O> {
  readonly limits?: ActionLimits;
}

export function defineAction<I, O>(action: Action<I, O>): Action<I, O> {
  const tool = defineTool({ ...action, ...(action.limits?.timeoutMs !== undefined && { timeoutMs: action.limits.timeoutMs }) });
  return Object.freeze({ ...tool, ...(action.limits && { limits: action.limits }) });
}

/** Validates, checks the cost limit, runs under the time limit; never throws (errors are data). */
export async function performAction(action: Action, input: unknown, ctx: { readonly signal?: AbortSignal; readonly remainingUsd?: number } = {}): Promise<ToolOutcome> {
  const max = action.limits?.maxCostUsd;
  if (max !== undefined && ctx.remainingUsd !== undefined && ctx.remainingUsd < max) {
    return { ok: false, error: `action ${action.name} may cost up to $${max} but only $${ctx.remainingUsd.toFixed(4)} remains` };
  }
  return invokeTool(action, input, ctx.signal);
}
