// Calls, errors, money and time per action in this process, from the governance gate's records.
import type { ActionUsage } from "./governance";

export interface ActionTotals {
  readonly calls: number;
  readonly errors: number;
  readonly costUsd: number;
  readonly totalMs: number;
  readonly lastError: string | null;
  readonly lastAt: number | null;
}

export interface ActionUsageTotals {
  record(usage: ActionUsage): void;
  get(action: string): ActionTotals;
  all(): ReadonlyMap<string, ActionTotals>;
}

const ZERO: ActionTotals = { calls: 0, errors: 0, costUsd: 0, totalMs: 0, lastError: null, lastAt: null };

export function createActionUsageTotals(): ActionUsageTotals {
  const totals = new Map<string, ActionTotals>();
  return {
    record(u) {
      const t = totals.get(u.action) ?? ZERO;
      totals.set(u.action, { calls: t.calls + 1, errors: t.errors + (u.ok ? 0 : 1), costUsd: t.costUsd + u.costUsd, totalMs: t.totalMs + u.ms, lastError: u.ok ? t.lastError : (u.error ?? "failed"), lastAt: u.at });
    },
    get: (action) => totals.get(action) ?? ZERO,
    all: () => totals,
  };
}
