// The spend ledger: one money counter per (scope, scopeId, period, window), in nanodollars.
//
// Contract (every implementation runs describeLedgerContract):
// - Each operation is atomic for its key, also across processes for a shared implementation.
// - `tryAdd` adds only if the result stays within the cap, else changes nothing; of concurrent
//   tryAdds, never more succeed than fit.
// - `add` adds unconditionally (a negative amount subtracts; the counter never goes below 0).
// - `spent` is 0 for a key never charged. Keys are independent: another window is another counter.
// The budget guard keeps its reservations in the ledger itself (a provisional charge, settled
// after the call), so processes that share a ledger also share reservations.

import type { SpendKey } from "./budget-types";
import { spendKeyText } from "./budget-types";

export interface TryAddResult {
  readonly ok: boolean;
  /** The counter after the add (ok), or as it stood when the add was refused. */
  readonly spentNano: bigint;
}

export interface SpendLedger {
  tryAdd(key: SpendKey, amountNano: bigint, capNano: bigint): Promise<TryAddResult>;
  add(key: SpendKey, amountNano: bigint): Promise<bigint>;
  spent(key: SpendKey): Promise<bigint>;
}

/** In process memory: for the embedded default and tests; lost on restart. */
export function createMemoryLedger(): SpendLedger & { keys(): SpendKey[] } {
  const counters = new Map<string, { key: SpendKey; nano: bigint }>();
  const get = (key: SpendKey) => counters.get(spendKeyText(key))?.nano ?? 0n;
  const set = (key: SpendKey, nano: bigint) => counters.set(spendKeyText(key), { key, nano });
  return {
    async tryAdd(key, amountNano, capNano) {
      const before = get(key);
      if (before + amountNano > capNano) return { ok: false, spentNano: before };
      const after = before + amountNano < 0n ? 0n : before + amountNano;
      set(key, after);
      return { ok: true, spentNano: after };
    },
    async add(key, amountNano) {
      const next = get(key) + amountNano;
      const after = next < 0n ? 0n : next;
      set(key, after);
      return after;
    },
    async spent(key) {
      return get(key);
    },
    keys: () => [...counters.values()].map((c) => c.key),
  };
}
