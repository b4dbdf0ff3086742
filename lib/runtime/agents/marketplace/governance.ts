// Every action an agent performs passes the marketplace's gate: disabled actions fail at once
// with ACTION_DISABLED (a clear message saying where to enable them), and every call is counted
// (calls, errors, money reported, time) for the marketplace page.
import type { Action, ActionContext } from "../action";
import { AgentError } from "../errors";

export interface ActionPolicy {
  /** Whether the action may run now (read at every call: admins change it at run time). */
  enabled(name: string): boolean;
}

export interface ActionUsage {
  readonly action: string;
  readonly ok: boolean;
  readonly costUsd: number;
  readonly ms: number;
  readonly at: number;
  readonly error?: string;
}

export type ActionUsageSink = (usage: ActionUsage) => void;

export interface Governance {
  readonly policy: ActionPolicy;
  readonly record?: ActionUsageSink;
}

const governed = new WeakMap<Action, WeakMap<Governance, Action>>();

/** The action behind the gate (the same wrapper for the same action and governance). */
export function governAction(action: Action, governance: Governance): Action {
  let byGovernance = governed.get(action);
  const known = byGovernance?.get(governance);
  if (known) return known;
  const wrapped: Action = Object.freeze({
    ...action,
    run: async (input: unknown, ctx: ActionContext) => {
      if (!governance.policy.enabled(action.name)) {
        const error = new AgentError("ACTION_DISABLED", `action "${action.name}" is disabled by an administrator; enable it on the Marketplace page to use it`, action.name);
        governance.record?.({ action: action.name, ok: false, costUsd: 0, ms: 0, at: Date.now(), error: error.message });
        throw error;
      }
      const started = performance.now();
      let costUsd = 0;
      const reportCost = (usd: number) => {
        costUsd += Number.isFinite(usd) && usd > 0 ? usd : 0;
        ctx.reportCost?.(usd);
      };
      try {
        const inner: ActionContext = { ...ctx, reportCost };
        const value = await action.run(input, inner);
        governance.record?.({ action: action.name, ok: true, costUsd, ms: performance.now() - started, at: Date.now() });
        return value;
      } catch (error) {
        governance.record?.({ action: action.name, ok: false, costUsd, ms: performance.now() - started, at: Date.now(), error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  });
  if (!byGovernance) governed.set(action, (byGovernance = new WeakMap()));
  byGovernance.set(governance, wrapped);
  return wrapped;
}

/** A policy from explicit settings; an action without one is enabled when `byDefault` says so. */
export function createActionPolicy(byDefault: (name: string) => boolean, settings: ReadonlyMap<string, boolean> = new Map()): ActionPolicy & { set(name: string, enabled: boolean): void; replace(all: ReadonlyMap<string, boolean>): void } {
  let current = new Map(settings);
  return {
    enabled: (name) => current.get(name) ?? byDefault(name),
    set(name, enabled) {
      current.set(name, enabled);
    },
    replace(all) {
      current = new Map(all);
    },
  };
}
