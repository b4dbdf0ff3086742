export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Times `n` sequential awaited calls; returns per-call microseconds, sorted. */
export async function timeCalls(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await call(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out.sort((a, b) => a - b);
}
