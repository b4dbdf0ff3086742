// The SpendLedger contract: every implementation runs this suite (memory in a unit test, the
// database ledger on PGlite and PostgreSQL in an integration test).
import { describe, expect, test } from "vitest";
import type { SpendKey, SpendLedger } from "..";

const DAY = new Date(Date.UTC(2026, 10, 27));
const key = (over: Partial<SpendKey> = {}): SpendKey => ({ scope: "program", scopeId: "qa", period: "day", windowStart: DAY, ...over });

/** `make` returns a fresh, empty ledger for each test (and may be async). */
export function describeLedgerContract(name: string, make: () => SpendLedger | Promise<SpendLedger>): void {
  describe(`SpendLedger contract: ${name}`, () => {
    test("a key never charged has spent 0", async () => {
      const ledger = await make();
      expect(await ledger.spent(key())).toBe(0n);
    });

    test("tryAdd adds within the cap and refuses past it without changing anything", async () => {
      const ledger = await make();
      expect(await ledger.tryAdd(key(), 600n, 1_000n)).toEqual({ ok: true, spentNano: 600n });
      expect(await ledger.tryAdd(key(), 400n, 1_000n)).toEqual({ ok: true, spentNano: 1_000n });
      expect(await ledger.tryAdd(key(), 1n, 1_000n)).toEqual({ ok: false, spentNano: 1_000n });
      expect(await ledger.tryAdd(key({ scopeId: "other" }), 1_001n, 1_000n)).toEqual({ ok: false, spentNano: 0n });
      expect(await ledger.spent(key())).toBe(1_000n);
      expect(await ledger.spent(key({ scopeId: "other" }))).toBe(0n);
    });

    test("add adds and subtracts, never below zero", async () => {
      const ledger = await make();
      expect(await ledger.add(key(), 1_500n)).toBe(1_500n);
      expect(await ledger.add(key(), -500n)).toBe(1_000n);
      expect(await ledger.add(key(), -5_000n)).toBe(0n);
      expect(await ledger.add(key({ scopeId: "fresh" }), -5n)).toBe(0n);
    });

    test("keys are independent: scope, id, period and window each make another counter", async () => {
      const ledger = await make();
      await ledger.add(key(), 7n);
      const others = [key({ scope: "apiKey" }), key({ scopeId: "qa2" }), key({ period: "month" }), key({ windowStart: new Date(Date.UTC(2026, 10, 28)) })];
      for (const k of others) expect(await ledger.spent(k)).toBe(0n);
      expect(await ledger.spent(key())).toBe(7n);
    });

    test("amounts keep nanodollar precision", async () => {
      const ledger = await make();
      await ledger.add(key({ scope: "global", scopeId: "", period: "total", windowStart: new Date(0) }), 123_456_789_012n);
      expect(await ledger.spent(key({ scope: "global", scopeId: "", period: "total", windowStart: new Date(0) }))).toBe(123_456_789_012n);
    });

    test("50 concurrent tryAdds never pass the cap: exactly as many succeed as fit", async () => {
      const ledger = await make();
      const results = await Promise.all(Array.from({ length: 50 }, () => ledger.tryAdd(key(), 30n, 1_000n)));
      expect(results.filter((r) => r.ok)).toHaveLength(33);
      expect(await ledger.spent(key())).toBe(990n);
    });
  });
}
