// Group commit for a spend ledger: while a statement for a key is in flight, the operations that
// arrive for the same key wait, then go as one statement carrying their sum. An idle ledger adds
// no delay (the first operation goes at once); under load, a burst of calls on one budget costs a
// round trip per burst instead of one per call.
// - add: amounts of one sign are summed (a refund and a charge are not netted, so the counter's
//   floor at 0 applies as it would one by one); every caller gets the counter after the sum.
// - tryAdd (same key and cap): the sum is tried as one; if it does not fit, each is tried alone in
//   turn, so exactly as many succeed as fit, as with one statement each.
// - spent: passed through.

import { spendKeyText, type SpendKey } from "./budget-types";
import type { SpendLedger, TryAddResult } from "./ledger";

interface Waiter<T> {
  readonly amountNano: bigint;
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Lane<T, C> {
  readonly context: C;
  queue: Waiter<T>[];
}

/** Queues per lane id: the first operation runs at once; those arriving meanwhile run together next. */
function lanes<T, C>(flush: (context: C, waiters: readonly Waiter<T>[]) => Promise<void>): (id: string, context: C, amountNano: bigint) => Promise<T> {
  const busy = new Map<string, Lane<T, C>>();
  const drain = async (id: string, lane: Lane<T, C>) => {
    while (lane.queue.length > 0) {
      const waiters = lane.queue;
      lane.queue = [];
      await flush(lane.context, waiters);
    }
    busy.delete(id);
  };
  return (id, context, amountNano) =>
    new Promise<T>((resolve, reject) => {
      const waiter = { amountNano, resolve, reject };
      const lane = busy.get(id);
      if (lane !== undefined) {
        lane.queue.push(waiter);
        return;
      }
      const fresh: Lane<T, C> = { context, queue: [waiter] };
      busy.set(id, fresh);
      void drain(id, fresh);
    });
}

const sum = (waiters: readonly Waiter<unknown>[]) => waiters.reduce((s, w) => s + w.amountNano, 0n);

/** Wraps a ledger so that concurrent operations on one key share a statement (see above). */
export function coalescingLedger(inner: SpendLedger): SpendLedger {
  const add = lanes<bigint, SpendKey>(async (key, waiters) => {
    try {
      const after = await inner.add(key, sum(waiters));
      for (const w of waiters) w.resolve(after);
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  });
  const tryAdd = lanes<TryAddResult, { readonly key: SpendKey; readonly capNano: bigint }>(async ({ key, capNano }, waiters) => {
    let i = 0;
    try {
      if (waiters.length > 1) {
        const together = await inner.tryAdd(key, sum(waiters), capNano);
        if (together.ok) {
          for (const w of waiters) w.resolve(together);
          return;
        }
      }
      for (; i < waiters.length; i++) waiters[i]!.resolve(await inner.tryAdd(key, waiters[i]!.amountNano, capNano));
    } catch (error) {
      for (; i < waiters.length; i++) waiters[i]!.reject(error);
    }
  });
  return {
    // A refund and a charge are not netted: the counter's floor at 0 applies as it would one by one.
    add: (key, amountNano) => add(`${amountNano < 0n ? "-" : "+"}${spendKeyText(key)}`, key, amountNano),
    // The cap is part of the lane: calls against another cap never share a sum.
    tryAdd: (key, amountNano, capNano) => tryAdd(`${capNano}|${spendKeyText(key)}`, { key, capNano }, amountNano),
    spent: (key) => inner.spent(key),
  };
}
