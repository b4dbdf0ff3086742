import type { Percentiles } from "./types";

// Two-sided 95% Student's t quantiles for 1..30 degrees of freedom.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t95(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return T95[df - 1]!;
  // Beyond 30 the quantile approaches 1.96; this expansion is within 0.001 of the exact value.
  return 1.959964 + 2.37 / df + 2.8 / (df * df);
}

export function meanAndInterval(values: readonly number[]): { mean: number; stdev: number; low: number; high: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, stdev: 0, low: 0, high: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, stdev: 0, low: mean, high: mean };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const stdev = Math.sqrt(variance);
  const half = (t95(n - 1) * stdev) / Math.sqrt(n);
  return { mean, stdev, low: mean - half, high: mean + half };
}

/** Nearest-rank percentiles. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}
