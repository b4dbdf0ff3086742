// The "never overspend" scenario, shared by the memory test and the database integration tests:
// 50 concurrent calls against a program budget that fits 10 of them.
import { expect } from "vitest";
import { BudgetStatusSchema } from "../../../schemas";
import type { OpenAIServer } from "../../../dspex/testing";
import { BudgetLimitExceededError, createBudgetGuard, estimateRequestTokens, type BudgetEvent, type SpendLedger } from "..";
import { ask, clientFor, testPrices } from "./lm-fixtures";

export async function expectNoOverspendUnderConcurrency(server: OpenAIServer, ledger: SpendLedger): Promise<void> {
  const request = ask("How many calls fit?", { maxTokens: 100 });
  const { inputTokens } = await estimateRequestTokens(request);
  // The server reports exactly the estimate: each call costs what it reserved.
  server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 100 } }));
  const costNano = BigInt(inputTokens) * 1_000n + 100n * 2_000n; // $1/M in, $2/M out
  const limitUsd = Number(costNano * 21n) / 2e9; // 10.5 calls
  const events: BudgetEvent[] = [];
  const guard = createBudgetGuard({
    prices: testPrices(),
    ledger,
    limits: [
      { scope: "program", scopeId: "qa", period: "day", limitUsd },
      { scope: "global", period: "month", limitUsd: 1_000 },
    ],
    onEvent: (e) => events.push(e),
  });
  const lm = guard.middleware({ programId: "qa" })(clientFor(server));

  const results = await Promise.allSettled(Array.from({ length: 50 }, () => lm.complete(request)));
  const ok = results.filter((r) => r.status === "fulfilled");
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(ok).toHaveLength(10);
  expect(server.requestCount).toBe(10);
  for (const r of refused) {
    expect(r.reason).toBeInstanceOf(BudgetLimitExceededError);
    expect((r.reason as BudgetLimitExceededError).code).toBe("BUDGET_EXCEEDED");
    expect((r.reason as BudgetLimitExceededError).details).toMatchObject({ scope: "program", scopeId: "qa", period: "day", limitUsd });
  }
  const statuses = await guard.status({ programId: "qa" });
  const program = statuses.find((x) => x.scope === "program")!;
  const global = statuses.find((x) => x.scope === "global")!;
  expect(program.spentUsd).toBeCloseTo(Number(costNano * 10n) / 1e9, 12);
  expect(program.spentUsd).toBeLessThanOrEqual(limitUsd);
  // The refusing budget gave back nothing it did not take, and the other budget kept no reservation.
  expect(global.spentUsd).toBeCloseTo(program.spentUsd, 12);
  for (const e of events) BudgetStatusSchema.parse(e.payload);
  expect(events.some((e) => e.payload.scope === "program" && e.payload.exhausted)).toBe(true);
}
