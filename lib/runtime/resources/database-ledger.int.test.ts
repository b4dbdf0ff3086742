import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { createBudgetGuard, createDatabaseLedger, estimateRequestTokens, reconcileLedger } from ".";
import { ask, clientFor, describeLedgerContract, expectNoOverspendUnderConcurrency, testPrices } from "./testing";

describe.each(BACKENDS)("createDatabaseLedger on $backend", ({ backend, fresh }) => {
  let t: TestDatabase;
  let db: Database;
  let server: OpenAIServer;
  beforeAll(async () => {
    t = await fresh();
    db = await openDatabase(t.config);
    server = await startOpenAIServer();
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await t?.destroy();
  });
  const empty = async () => {
    await db.sql.query(`DELETE FROM "SpendLedger"`);
    server.reset();
  };

  describeLedgerContract(backend, async () => {
    await empty();
    return createDatabaseLedger(db);
  });

  test("rows are the SpendLedger model's: Prisma reads the UTC window and the exact amount", async () => {
    await empty();
    const windowStart = new Date(Date.UTC(2026, 10, 27));
    await createDatabaseLedger(db).add({ scope: "apiKey", scopeId: "k1", period: "day", windowStart }, 1_500n);
    const rows = await db.prisma.spendLedger.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scope: "apiKey", scopeId: "k1", period: "day", windowStart });
    expect(rows[0]!.spentUsd.toString()).toBe("0.0000015");
  });

  test("50 concurrent calls through the guard never overspend", async () => {
    await empty();
    await expectNoOverspendUnderConcurrency(server, createDatabaseLedger(db));
  });

  test("two guards sharing the ledger (as two processes would) never overspend together", async () => {
    await empty();
    const request = ask("Shared budget?", { maxTokens: 50 });
    const { inputTokens } = await estimateRequestTokens(request);
    server.respondWith(() => ({ text: "ok", usage: { promptTokens: inputTokens, completionTokens: 50 } }));
    const costUsd = (inputTokens * 1_000 + 50 * 2_000) / 1e9;
    const limits = [{ scope: "apiKey" as const, scopeId: "shared", period: "day" as const, limitUsd: Number((costUsd * 7.5).toFixed(9)) }];
    const guards = [0, 1].map(() => createBudgetGuard({ prices: testPrices(), ledger: createDatabaseLedger(db), limits }));
    const lms = guards.map((g) => g.middleware({ apiKeyId: "shared" })(clientFor(server)));
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => lms[i % 2]!.complete(request)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    expect(server.requestCount).toBe(7);
    const [status] = await guards[0]!.status({ apiKeyId: "shared" });
    expect(status!.spentUsd).toBeCloseTo(costUsd * 7, 9);
  });

  test("reconcileLedger sets each row to the cost of its scope's recorded LM calls in its window: a dead process's reservations go", async () => {
    await empty();
    await db.sql.query(`DELETE FROM "LMCall"`);
    const ledger = createDatabaseLedger(db);
    const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
    // Reservations a killed process left behind, beside real spend.
    await ledger.add({ scope: "global", scopeId: "", period: "day", windowStart: today }, 9_000_000n);
    await ledger.add({ scope: "optimization", scopeId: "o1", period: "total", windowStart: new Date(0) }, 4_000_000n);
    await ledger.add({ scope: "optimization", scopeId: "o2", period: "total", windowStart: new Date(0) }, 0n);
    const call = (costUsd: string, extra: { optimizationId?: string; refused?: boolean; createdAt?: Date } = {}) => db.prisma.lMCall.create({ data: { provider: "p", model: "m", latencyMs: 1, costUsd, ...extra } });
    await call("0.001", { optimizationId: "o1" });
    await call("0.002");
    await call("0.004", { refused: true });
    await call("0.008", { createdAt: new Date(today.getTime() - 3_600_000) });
    expect(await reconcileLedger(db)).toBe(2);
    const rows = await db.prisma.spendLedger.findMany({ orderBy: [{ scope: "asc" }, { scopeId: "asc" }] });
    expect(rows.map((r) => [r.scope, r.scopeId, r.spentUsd.toString()])).toEqual([
      ["global", "", "0.003"],
      ["optimization", "o1", "0.001"],
      ["optimization", "o2", "0"],
    ]);
    expect(await reconcileLedger(db)).toBe(0);
  });
});
