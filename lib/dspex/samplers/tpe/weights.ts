// How many trials count as good, and how much each past trial weighs in a Parzen estimator, as in
// the published TPE (and Optuna's defaults).

/** gamma(n) = min(ceil(0.1 n), 25): the number of complete trials in the good group. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Kernel weights for n observations in trial order: equal up to 25; beyond, the newest 25 weigh
 * 1 and the older ones ramp linearly from 1/n up to 1, so the estimator follows the search.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n <= 25) return w;
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}
