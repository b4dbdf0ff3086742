import { expect, test } from "vitest";
import { coalescingLedger, createMemoryLedger, type SpendLedger } from ".";
import { describeLedgerContract } from "./testing";

describeLedgerContract("memory", () => createMemoryLedger());
describeLedgerContract("coalescing, over memory", () => coalescingLedger(createMemoryLedger()));

const key = { scope: "global", scopeId: "", period: "total", windowStart: new Date(0) } as const;

/** A memory ledger that counts its calls and answers each one a macrotask later, like a database would. */
function slowCounting(): SpendLedger & { calls: number } {
  const inner = createMemoryLedger();
  const later = <T>(p: Promise<T>) => new Promise<T>((resolve, reject) => setImmediate(() => p.then(resolve, reject)));
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    tryAdd: (k, a, c) => (calls++, later(inner.tryAdd(k, a, c))),
    add: (k, a) => (calls++, later(inner.add(k, a))),
    spent: (k) => inner.spent(k),
  };
}

test("coalescing: a burst of concurrent charges on one key costs two statements, not one per charge", async () => {
  const inner = slowCounting();
  const ledger = coalescingLedger(inner);
  const results = await Promise.all(Array.from({ length: 20 }, () => ledger.tryAdd(key, 10n, 1_000n)));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(inner.calls).toBe(2);
  expect(await ledger.spent(key)).toBe(200n);
  const settled = await Promise.all(Array.from({ length: 20 }, () => ledger.add(key, -4n)));
  expect(inner.calls).toBe(4);
  expect(settled.at(-1)).toBe(120n);
});

test("coalescing: a sum that does not fit is tried charge by charge, so exactly as many succeed as fit", async () => {
  const inner = slowCounting();
  const ledger = coalescingLedger(inner);
  const results = await Promise.all(Array.from({ length: 10 }, () => ledger.tryAdd(key, 30n, 100n)));
  expect(results.filter((r) => r.ok)).toHaveLength(3);
  expect(await ledger.spent(key)).toBe(90n);
});

test("coalescing: a refund and a charge are never netted into one sum (the floor at 0 applies to each)", async () => {
  const inner = slowCounting();
  const amounts: bigint[] = [];
  const ledger = coalescingLedger({ ...inner, add: (k, a) => (amounts.push(a), inner.add(k, a)) });
  await ledger.add(key, 1n);
  await Promise.all([ledger.add(key, 5n), ledger.add(key, -20n), ledger.add(key, -20n), ledger.add(key, 7n)]);
  // Charges summed with charges, refunds with refunds: never 5 - 20 or 7 - 40.
  for (const a of amounts.slice(1)) expect([5n, 7n, 12n, -20n, -40n]).toContain(a);
  expect(amounts.slice(1).reduce((s, a) => s + a, 0n)).toBe(-28n);
});
