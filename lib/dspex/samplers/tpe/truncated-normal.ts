// The standard normal in log space, for truncated Gaussian kernels: log CDF and log of the mass
// between two points, accurate far into the tails (no underflow to -Infinity), and sampling by
// rejection (kernels are centred inside their bounds with a width at most the range, so at least
// a third of the mass lies inside and rejection needs about three draws at worst).
import type { Rng } from "../../random";

const LOG_HALF = Math.log(0.5);
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/**
 * erfc(z) = t exp(-z^2 + P(t)), t = 1/(1 + z/2), for z >= 0: the Chebyshev fit with relative error
 * below 1.2e-7 everywhere. `logErfc` is the same in log form, so far tails never underflow.
 */
function chebyshev(t: number): number {
  return (
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

function logErfc(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  return Math.log(t) - z * z + chebyshev(t);
}

function erfc(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  return t * Math.exp(-z * z + chebyshev(t));
}

/** log Phi(x), the log of the standard normal CDF. */
export function logNormalCdf(x: number): number {
  if (x < 0) return LOG_HALF + logErfc(-x * SQRT1_2);
  return Math.log1p(-0.5 * Math.exp(logErfc(x * SQRT1_2)));
}

/** log(1 - exp(x)) for x <= 0. */
function log1mExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * log of the standard normal mass of an interval of width w <= 0.5 centred on m with |w m| <= 1:
 * log(w phi(m) (1 + c)), c = w^2 He2(m) / 24 + w^4 He4(m) / 1920 (the midpoint expansion), with
 * log(1 + c) by its series (|c| < 0.05). Relative error below 1e-6; pure arithmetic past log(w).
 */
export function logNarrowMass(logW: number, w2: number, m: number): number {
  const m2 = m * m;
  const c = (w2 * (m2 - 1)) / 24 + (w2 * w2 * (m2 * m2 - 6 * m2 + 3)) / 1920;
  return logW - 0.5 * m2 - LOG_SQRT_2PI + c * (1 - c * (0.5 - c * (1 / 3 - 0.25 * c)));
}

// The upper tail Q(x) = 1 - Phi(x) on [0, 9], tabulated once (an immutable constant) with its
// derivative -phi(x), for cubic Hermite interpolation: absolute error below 1e-10.
const TAIL_STEP = 1 / 64;
const TAIL_MAX = 9;
const TAIL_SIZE = TAIL_MAX / TAIL_STEP + 2;
const TAIL_Q = new Float64Array(TAIL_SIZE);
const TAIL_D = new Float64Array(TAIL_SIZE);
for (let i = 0; i < TAIL_SIZE; i++) {
  const x = i * TAIL_STEP;
  TAIL_Q[i] = 0.5 * erfc(x * SQRT1_2);
  TAIL_D[i] = -TAIL_STEP * Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

/** Q(x) = 1 - Phi(x) for x >= 0, from the table (0 past 9, where Q < 1.2e-19). */
function upperTail(x: number): number {
  if (x >= TAIL_MAX) return 0;
  const u = x / TAIL_STEP;
  const i = u | 0;
  const t = u - i;
  const s = 1 - t;
  return s * s * ((1 + 2 * t) * TAIL_Q[i]! + t * TAIL_D[i]!) + t * t * ((3 - 2 * t) * TAIL_Q[i + 1]! - s * TAIL_D[i + 1]!);
}

/**
 * log(Phi(b) - Phi(a)) for a <= b. Narrow intervals (most discrete bins) use `logNarrowMass`;
 * others take the difference of tabulated tails when the mass is at least 1e-4 (relative error
 * below 1e-6), and otherwise subtract log CDFs deep in the tail.
 */
export function logNormalMass(a: number, b: number): number {
  if (!(b > a)) return Number.NEGATIVE_INFINITY;
  const w = b - a;
  const m = 0.5 * (a + b);
  if (w <= 0.5 && w * Math.abs(m) <= 1) return logNarrowMass(Math.log(w), w * w, m);
  if (a > 0) {
    const t = a;
    a = -b;
    b = -t;
  }
  // Now a < 0. Mass = Q(-b) - Q(-a) when b <= 0, else 1 - Q(-a) - Q(b).
  const mass = b <= 0 ? upperTail(-b) - upperTail(-a) : 1 - upperTail(-a) - upperTail(b);
  if (mass >= 1e-4) return Math.log(mass);
  const hi = logNormalCdf(b);
  return hi + log1mExp(logNormalCdf(a) - hi);
}

/** A draw from N(mu, sigma) truncated to [low, high]. */
export function sampleTruncatedNormal(mu: number, sigma: number, low: number, high: number, rng: Rng): number {
  if (!(high > low) || !(sigma > 0)) return Math.min(high, Math.max(low, mu));
  for (let i = 0; i < 100; i++) {
    const x = mu + sigma * rng.normal();
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}
