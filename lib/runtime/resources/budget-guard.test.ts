import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { BudgetStatusSchema } from "../../schemas";
import { FakeClock } from "../clock";
import { reservationBound } from "../../dspex";
import { BudgetLimitExceededError, BudgetPriceUnknownError, createBudgetGuard, createMemoryLedger, ResourceOptionError, type BudgetEvent } from ".";
import { ask, clientFor, expectNoOverspendUnderConcurrency, testPrices } from "./testing";

let server: OpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const request = ask("What is the spend?", { maxTokens: 100 });
let inputTokens = 0;
let costUsd = 0;
beforeAll(async () => {
  // The stand-in reports as many prompt tokens as the reservation counts: the bound is the exact cost.
  inputTokens = (await reservationBound(request, { prices: testPrices(), model: "test-model" })).inputTokens;
  costUsd = (inputTokens * 1_000 + 100 * 2_000) / 1e9;
});
/** The output cap a request was sent with, under either of OpenAI's names. */
const outputCap = (body: Readonly<Record<string, unknown>>) => body.max_completion_tokens ?? body.max_tokens;
const exactReplies = () => server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 100 } }));

async function refusal(promise: Promise<unknown>): Promise<BudgetLimitExceededError> {
  try {
    await promise;
  } catch (error) {
    return error as BudgetLimitExceededError;
  }
  throw new Error("expected the call to be refused");
}

describe("createBudgetGuard", () => {
  test("50 concurrent calls never overspend (memory ledger)", async () => {
    await expectNoOverspendUnderConcurrency(server, createMemoryLedger());
  });

  test("refuses with BUDGET_EXCEEDED naming the scope, limit, spend and estimate; nothing is sent", async () => {
    exactReplies();
    const guard = createBudgetGuard({ prices: testPrices(), limits: [{ scope: "apiKey", scopeId: "key-1", period: "month", limitUsd: costUsd * 1.5 }] });
    const lm = guard.middleware({ apiKeyId: "key-1" })(clientFor(server));
    await lm.complete(request);
    const error = await refusal(lm.complete(request));
    expect(error).toBeInstanceOf(BudgetLimitExceededError);
    expect(error.code).toBe("BUDGET_EXCEEDED");
    expect(error.details).toMatchObject({ scope: "apiKey", scopeId: "key-1", period: "month" });
    expect(error.details.spentUsd).toBeCloseTo(costUsd, 12);
    expect(error.details.estimateUsd).toBeCloseTo(costUsd, 12);
    expect(error.message).toMatch(/^apiKey "key-1" budget \(month\): limit \$[\d.]+ for the UTC month starting \d{4}-\d{2}, spent \$[\d.]+ .*estimated at \$[\d.]+ .*raise the limit or wait for the next UTC month$/);
    expect(server.requestCount).toBe(1);
  });

  test("settles to the actual cost: a call that used less than reserved frees the rest", async () => {
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 10 } }));
    const actual = (inputTokens * 1_000 + 10 * 2_000) / 1e9;
    const guard = createBudgetGuard({ prices: testPrices(), limits: [{ scope: "program", scopeId: "p", period: "total", limitUsd: costUsd * 2 }] });
    const lm = guard.middleware({ programId: "p" })(clientFor(server));
    // Each call reserves `costUsd` but costs `actual`: after settling, more calls fit than 2.
    let made = 0;
    while (made < 20) {
      try {
        await lm.complete(request);
        made++;
      } catch {
        break;
      }
    }
    const [status] = await guard.status({ programId: "p" });
    expect(status!.spentUsd).toBeCloseTo(actual * made, 12);
    expect(made).toBe(Math.floor((costUsd * 2 - costUsd) / actual) + 1);
  });

  test("a failed call releases its reservation", async () => {
    server.respondWith(() => ({ type: "error", status: 500, message: "down" }));
    const ledger = createMemoryLedger();
    const guard = createBudgetGuard({ prices: testPrices(), ledger, limits: [{ scope: "global", period: "day", limitUsd: 1 }] });
    const lm = guard.middleware()(clientFor(server));
    await expect(lm.complete(request)).rejects.toMatchObject({ code: "LM_ERROR" });
    const [status] = await guard.status();
    expect(status!.spentUsd).toBe(0);
  });

  test("only the budgets of the call's scopes apply; an unrelated program is not charged", async () => {
    exactReplies();
    const guard = createBudgetGuard({
      prices: testPrices(),
      limits: [
        { scope: "program", scopeId: "a", period: "day", limitUsd: 1 },
        { scope: "program", scopeId: "b", period: "day", limitUsd: costUsd / 2 },
        { scope: "optimization", scopeId: "opt-1", period: "total", limitUsd: 1 },
      ],
    });
    await guard.middleware({ programId: "a", optimizationId: "opt-1" })(clientFor(server)).complete(request);
    const statuses = await guard.status({ programId: "a", optimizationId: "opt-1" });
    expect(statuses.map((s) => `${s.scope}:${s.scopeId}`).sort()).toEqual(["optimization:opt-1", "program:a"]);
    for (const s of statuses) expect(s.spentUsd).toBeCloseTo(costUsd, 12);
    expect((await guard.status({ programId: "b" }))[0]!.spentUsd).toBe(0);
    await expect(guard.middleware({ programId: "b" })(clientFor(server)).complete(request)).rejects.toBeInstanceOf(BudgetLimitExceededError);
  });

  test("day windows roll over at UTC midnight (injected clock); month and total keep counting", async () => {
    exactReplies();
    const clock = new FakeClock({ start: Date.UTC(2026, 10, 27, 23, 58) });
    const events: BudgetEvent[] = [];
    const guard = createBudgetGuard({
      prices: testPrices(),
      clock,
      onEvent: (e) => events.push(e),
      limits: [
        { scope: "program", scopeId: "qa", period: "day", limitUsd: costUsd * 2 },
        { scope: "program", scopeId: "qa", period: "total", limitUsd: costUsd * 3 },
      ],
    });
    const lm = guard.middleware({ programId: "qa" })(clientFor(server));
    await lm.complete(request);
    await lm.complete(request);
    const dayRefusal = await refusal(lm.complete(request));
    expect(dayRefusal.details.period).toBe("day");
    expect(dayRefusal.details.windowStart.toISOString()).toBe("2026-11-27T00:00:00.000Z");

    await clock.advance(3 * 60_000); // 00:01 on the 28th
    await lm.complete(request);
    const totalRefusal = await refusal(lm.complete(request));
    expect(totalRefusal.details.period).toBe("total");
    const byPeriod = Object.fromEntries((await guard.status({ programId: "qa" })).map((s) => [s.period, s.spentUsd]));
    expect(byPeriod.day).toBeCloseTo(costUsd, 12);
    expect(byPeriod.total).toBeCloseTo(costUsd * 3, 12);
    for (const e of events) expect(BudgetStatusSchema.parse(e.payload)).toEqual(e.payload);
    expect(events.at(-1)!.payload).toMatchObject({ scope: "program", scopeId: "qa", period: "total", exhausted: true, at: "2026-11-28T00:01:00.000Z" });
  });

  test("reports budget:status after each call with the spend and the limit", async () => {
    exactReplies();
    const events: BudgetEvent[] = [];
    const guard = createBudgetGuard({ prices: testPrices(), limits: [{ scope: "global", period: "total", limitUsd: "0.5" }], onEvent: (e) => events.push(e) });
    await guard.middleware()(clientFor(server)).complete(request);
    expect(events).toHaveLength(1);
    expect(events[0]!.name).toBe("budget:status");
    expect(events[0]!.payload).toMatchObject({ scope: "global", scopeId: "", period: "total", limitUsd: 0.5, exhausted: false });
    expect(events[0]!.payload.spentUsd).toBeCloseTo(costUsd, 12);
  });

  test("a model without a price is refused while a money budget applies (fail closed), naming the model and the fix; a price of 0 marks it free", async () => {
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: 1_000_000, completionTokens: 1_000_000 } }));
    const before = server.requestCount;
    const guard = createBudgetGuard({ prices: testPrices(), limits: [{ scope: "global", period: "day", limitUsd: 1000 }] });
    const refused = await guard.middleware()(clientFor(server, { model: "unpriced-model" })).complete(request).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetPriceUnknownError);
    expect((refused as Error).message).toMatch(/refuses model "unpriced-model".*price is unknown.*Settings → Prices \(a price of 0 marks it free\)/);
    expect(server.requestCount).toBe(before);
    // Without a budget that applies, nothing is refused.
    await createBudgetGuard({ prices: testPrices(), limits: [] }).middleware()(clientFor(server, { model: "unpriced-model" })).complete(request);
    const free = testPrices().withOverrides([{ model: "^unpriced-", prices: { input: "0", output: "0" } }]);
    const freeGuard = createBudgetGuard({ prices: free, limits: [{ scope: "global", period: "day", limitUsd: 0.000001 }] });
    await freeGuard.middleware()(clientFor(server, { model: "unpriced-model" })).complete(request);
    expect((await freeGuard.status())[0]!.spentUsd).toBe(0);
  });

  test("a ledger failure while settling keeps the call's result and reports the error; the estimate stays charged", async () => {
    exactReplies();
    const memory = createMemoryLedger();
    const errors: unknown[] = [];
    const ledger = { ...memory, add: async () => Promise.reject(new Error("database went away")) };
    const guard = createBudgetGuard({ prices: testPrices(), ledger, limits: [{ scope: "global", period: "day", limitUsd: 1 }], onError: (e) => errors.push(e) });
    const response = await guard.middleware()(clientFor(server)).complete(request);
    expect(response.text).toBe("ok");
    expect(errors).toEqual([new Error("database went away")]);
    expect((await guard.status())[0]!.spentUsd).toBeCloseTo(costUsd, 12);
  });

  test("a call that sets no output cap is sent with the guard's while a budget applies, and reserved at it; without a budget it goes out unchanged", async () => {
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 10 } }));
    const open = ask("What is the spend?");
    const bound = await reservationBound({ ...open, maxTokens: 300 }, { prices: testPrices(), model: "test-model" });
    const guard = createBudgetGuard({ prices: testPrices(), defaultMaxOutputTokens: 300, limits: [{ scope: "global", period: "day", limitUsd: bound.usd! * 1.5 }] });
    await guard.middleware()(clientFor(server)).complete(open);
    expect(outputCap(server.requests.at(-1)!.body)).toBe(300);
    // Reserved at the bound, released to the real cost: a second call fits under 1.5 bounds.
    await guard.middleware()(clientFor(server)).complete(open);
    expect((await guard.status())[0]!.spentUsd).toBeCloseTo((2 * (inputTokens * 1_000 + 10 * 2_000)) / 1e9, 12);
    await createBudgetGuard({ prices: testPrices(), limits: [] }).middleware()(clientFor(server)).complete(open);
    expect(outputCap(server.requests.at(-1)!.body)).toBeUndefined();
  });

  test("a reply cut off at the guard's cap is asked for once more with four times the cap; both calls are charged and reported as one", async () => {
    let calls = 0;
    server.respondWith(() => (++calls === 1 ? { text: "cut", finishReason: "length", usage: { promptTokens: 10, completionTokens: 50 } } : { text: "whole", usage: { promptTokens: 10, completionTokens: 70 } }));
    const guard = createBudgetGuard({ prices: testPrices(), defaultMaxOutputTokens: 50, limits: [{ scope: "global", period: "day", limitUsd: 1 }] });
    const response = await guard.middleware()(clientFor(server)).complete(ask("Tell a long story"));
    expect(server.requests.map((r) => outputCap(r.body))).toEqual([50, 200]);
    expect(response).toMatchObject({ text: "whole", finishReason: "stop", retries: 1, usage: { inputTokens: 20, outputTokens: 120 } });
    expect((await guard.status())[0]!.spentUsd).toBeCloseTo((20 * 1_000 + 120 * 2_000) / 1e9, 12);
    // A cap the caller set is the caller's: a cut-off reply comes back as it is.
    server.reset();
    calls = 0;
    expect(await guard.middleware()(clientFor(server)).complete(ask("Tell a long story", { maxTokens: 50 }))).toMatchObject({ text: "cut", finishReason: "length" });
    expect(server.requestCount).toBe(1);
  });

  test("a call no budget applies to touches no ledger", async () => {
    exactReplies();
    const ledger = createMemoryLedger();
    const guard = createBudgetGuard({ prices: testPrices(), ledger, limits: [{ scope: "program", scopeId: "other", period: "day", limitUsd: 1 }] });
    await guard.middleware({ programId: "mine" })(clientFor(server)).complete(request);
    expect(ledger.keys()).toEqual([]);
  });

  test("reserve() guards other spending with the same rules", async () => {
    const guard = createBudgetGuard({ prices: testPrices(), limits: [{ scope: "program", scopeId: "p", period: "day", limitUsd: 1 }] });
    const a = await guard.reserve({ programId: "p" }, 0.6);
    await expect(guard.reserve({ programId: "p" }, 0.5)).rejects.toBeInstanceOf(BudgetLimitExceededError);
    await a.settle(0.2);
    const b = await guard.reserve({ programId: "p" }, 0.5);
    await b.settle(0.5);
    expect((await guard.status({ programId: "p" }))[0]!.spentUsd).toBeCloseTo(0.7, 12);
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    const prices = testPrices();
    const bad = (options: unknown) => () => createBudgetGuard(options as Parameters<typeof createBudgetGuard>[0]);
    expect(bad({ prices, limits: [{ scope: "global", scopeId: "x", period: "day", limitUsd: 1 }] })).toThrow(
      'createBudgetGuard: option "limits[0].scopeId" must be empty for the global scope and name the program, optimization or API key otherwise (got "x")',
    );
    expect(bad({ prices, limits: [{ scope: "program", period: "week", scopeId: "p", limitUsd: 1 }] })).toThrow('option "limits[0].period" must be "day", "month" or "total" (got "week")');
    expect(bad({ prices, limits: [{ scope: "program", scopeId: "p", period: "day", limitUsd: -1 }] })).toThrow(/option "limits\[0\]\.limitUsd" must be an amount in USD >= 0/);
    expect(bad({ prices, limits: [{ scope: "global", period: "day", limitUsd: 1 }, { scope: "global", period: "day", limitUsd: 2 }] })).toThrow('option "limits[1]" repeats the day limit of global; keep one');
    expect(bad({ prices, limits: [], ledgr: {} })).toThrow(/option "ledgr" is not an option; options: prices, limits, ledger/);
    expect(bad({ limits: [] })).toThrow(/option "prices" must be a PriceTable/);
    expect(bad({ prices, limits: [] })).not.toThrow();
    expect(bad({ prices, limits: [{ scope: "global", period: "day", limitUsd: 1 }] })).not.toThrow(ResourceOptionError);
    const guard = createBudgetGuard({ prices, limits: [] });
    expect(() => guard.middleware({ programId: "" })).toThrow('BudgetGuard.middleware scopes: option "programId" must be a non-empty id (got "")');
  });
});
