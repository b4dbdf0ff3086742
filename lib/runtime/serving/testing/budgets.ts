// In-memory budgets for tests, shaped like the runtime's budget guard: an LM middleware per run's
// scopes that refuses a call (DspexError BUDGET_EXCEEDED naming the scope) once a budget is spent,
// and charges each response's cost to every scope of the call.
import { DspexError, type LM, type LMMiddleware } from "../../../dspex";
import type { RunScopes } from "../types";

export type TestBudgetScope = "global" | "program" | "apiKey";

export class TestBudgetExceededError extends DspexError {
  constructor(readonly details: { readonly scope: TestBudgetScope; readonly scopeId: string; readonly limitUsd: number; readonly spentUsd: number }) {
    const who = details.scope === "global" ? "global budget" : `${details.scope} "${details.scopeId}" budget`;
    super("BUDGET_EXCEEDED", `${who} (total): limit $${details.limitUsd}, spent $${details.spentUsd}; raise the limit`);
  }
}

export interface MemoryBudgets {
  setLimit(scope: TestBudgetScope, scopeId: string, limitUsd: number): void;
  /** Adds spending as if calls had been made. */
  spend(scope: TestBudgetScope, scopeId: string, usd: number): void;
  spent(scope: TestBudgetScope, scopeId: string): number;
  middleware(scopes: Pick<RunScopes, "programId" | "apiKeyId">): LMMiddleware;
}

export function createMemoryBudgets(): MemoryBudgets {
  const limits = new Map<string, number>();
  const spent = new Map<string, number>();
  const k = (scope: TestBudgetScope, id: string) => `${scope}|${id}`;
  const scopesOf = (s: Pick<RunScopes, "programId" | "apiKeyId">): [TestBudgetScope, string][] => [
    ["global", ""],
    ["program", s.programId],
    ...(s.apiKeyId ? [["apiKey", s.apiKeyId] as [TestBudgetScope, string]] : []),
  ];
  const budgets: MemoryBudgets = {
    setLimit: (scope, id, usd) => void limits.set(k(scope, id), usd),
    spend: (scope, id, usd) => void spent.set(k(scope, id), budgets.spent(scope, id) + usd),
    spent: (scope, id) => spent.get(k(scope, id)) ?? 0,
    middleware: (scopes) => (inner: LM): LM => ({
      provider: inner.provider,
      ...(inner.defaultModel !== undefined && { defaultModel: inner.defaultModel }),
      async complete(request, options) {
        for (const [scope, id] of scopesOf(scopes)) {
          const limit = limits.get(k(scope, id));
          const used = budgets.spent(scope, id);
          if (limit !== undefined && used >= limit) throw new TestBudgetExceededError({ scope, scopeId: id, limitUsd: limit, spentUsd: used });
        }
        const response = await inner.complete(request, options);
        for (const [scope, id] of scopesOf(scopes)) budgets.spend(scope, id, response.costUsd ?? 0);
        return response;
      },
    }),
  };
  return budgets;
}
