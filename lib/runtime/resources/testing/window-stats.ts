// What a provider would measure: the most requests (or tokens) that arrived within any interval of
// one window's length, over every interval starting at an arrival.

export interface Arrival {
  /** Milliseconds (any epoch). */
  readonly at: number;
  /** Requests count 1; tokens count the tokens. */
  readonly weight: number;
}

/** The largest total weight of arrivals in any half-open interval [t, t + windowMs). */
export function maxInAnyWindow(arrivals: readonly Arrival[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a.at - b.at);
  let best = 0;
  let sum = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]!.at < sorted[start]!.at + windowMs) sum += sorted[end++]!.weight;
    best = Math.max(best, sum);
    sum -= sorted[start]!.weight;
  }
  return best;
}

/** Totals per fixed window [k * windowMs, (k + 1) * windowMs) counted from the first arrival. */
export function perFixedWindow(arrivals: readonly Arrival[], windowMs: number): number[] {
  if (arrivals.length === 0) return [];
  const first = Math.min(...arrivals.map((a) => a.at));
  const out: number[] = [];
  for (const a of arrivals) {
    const k = Math.floor((a.at - first) / windowMs);
    while (out.length <= k) out.push(0);
    out[k]! += a.weight;
  }
  return out;
}
