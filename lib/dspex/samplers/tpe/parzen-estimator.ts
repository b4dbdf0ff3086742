// A Parzen estimator over a group of dimensions: a weighted mixture with one kernel per observed
// trial plus a prior kernel. Each kernel is a product over the dimensions of a truncated Gaussian
// (numeric, in internal space; discrete values get the mass of their bin) or a smoothed
// categorical distribution. With one dimension this is the univariate estimator of the TPE paper;
// with several, the multivariate one (each kernel is a whole past trial).
import type { Rng } from "../../random";
import type { CategoricalDimension, Dimension, NumericDimension } from "./dimensions";
import { LOG_SQRT_2PI, logNarrowMass, logNormalMass, sampleTruncatedNormal } from "./truncated-normal";

export interface EstimatorSettings {
  readonly priorWeight: number;
  /** Bandwidths: Scott-like shared width (multivariate) or the distance to the neighbours. */
  readonly multivariate: boolean;
  readonly considerEndpoints: boolean;
}

/** Candidates, one array per dimension: the value itself (numeric) or the choice index. */
export type Candidates = Float64Array[];

interface NumericKernels {
  readonly dim: NumericDimension;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  readonly logSigma: Float64Array;
  /** Discrete: log of the kernel's mass inside the bounds. Continuous: that plus log(sigma sqrt(2 pi)). */
  readonly logNorm: Float64Array;
  /** Discrete: kernels grouped by equal (mu, sigma); null for continuous dimensions. */
  readonly shared: { readonly of: Int32Array; readonly first: Int32Array } | null;
}

/**
 * Every observation kernel puts pHit on its observed choice and pMiss on each other one; the
 * prior kernel (hit -1) is uniform. Stored as the hit per kernel, not as a kernel x choice table.
 */
interface CategoricalKernels {
  readonly dim: CategoricalDimension;
  readonly hit: Int32Array;
  /** Observation kernels grouped by their hit: those of choice c are byChoice[start[c] .. start[c + 1]). */
  readonly byChoice: Int32Array;
  readonly start: Int32Array;
  readonly pHit: number;
  readonly pMiss: number;
  readonly logHit: number;
  readonly logMiss: number;
}

type Kernels = NumericKernels | CategoricalKernels;

/** Stands for log(0) where a sum with a finite bonus must not become NaN. */
const LOG_ZERO = -1e4;

export class ParzenEstimator {
  private readonly size: number;
  /** Normalized kernel weights. */
  private readonly w: Float64Array;
  private readonly numeric: readonly number[];
  private readonly categorical: readonly number[];
  /** Every categorical dimension's "miss" (or uniform prior) term, per kernel. */
  private readonly base: Float64Array;
  private readonly cumW: Float64Array;
  private readonly kernels: Kernels[];

  /** `rows` index the dimensions' codes (all present); `weights` are theirs, in the same order. */
  constructor(dims: readonly Dimension[], rows: readonly number[], weights: Float64Array, settings: EstimatorSettings) {
    const n = rows.length;
    this.size = n + 1;
    const w = new Float64Array(this.size);
    if (n === 0) w[0] = 1;
    else {
      w.set(weights);
      w[n] = settings.priorWeight;
    }
    let total = 0;
    for (const x of w) total += x;
    this.cumW = new Float64Array(this.size);
    let run = 0;
    for (let k = 0; k < this.size; k++) {
      w[k] = w[k]! / total;
      run += w[k]!;
      this.cumW[k] = run;
    }
    this.w = w;
    this.kernels = dims.map((d) => (d.type === "numeric" ? numericKernels(d, rows, dims.length, settings) : categoricalKernels(d, rows, settings.priorWeight)));
    this.base = new Float64Array(this.size);
    for (const kern of this.kernels) {
      if ("mu" in kern) continue;
      const logUniform = -Math.log(kern.dim.choices.length);
      for (let k = 0; k < this.size; k++) this.base[k] = this.base[k]! + (kern.hit[k]! < 0 ? logUniform : kern.logMiss);
    }
    this.numeric = this.kernels.flatMap((k, d) => ("mu" in k ? [d] : []));
    this.categorical = this.kernels.flatMap((k, d) => ("mu" in k ? [] : [d]));
  }

  /** `count` draws: pick a kernel by weight, then draw each dimension from it. */
  sample(count: number, rng: Rng): Candidates {
    const out = this.kernels.map(() => new Float64Array(count));
    for (let c = 0; c < count; c++) {
      const k = pick(this.cumW, rng.next());
      this.kernels.forEach((kern, d) => {
        if ("mu" in kern) out[d]![c] = kern.dim.decode(sampleTruncatedNormal(kern.mu[k]!, kern.sigma[k]!, kern.dim.lo, kern.dim.hi, rng));
        else out[d]![c] = sampleChoice(kern, k, rng.next());
      });
    }
    return out;
  }

  /** Log density of each candidate under the mixture. */
  logPdf(candidates: Candidates): Float64Array {
    const count = candidates[0]?.length ?? 0;
    const out = new Float64Array(count);
    const acc = new Float64Array(this.size);
    const kernels = this.kernels;
    for (let c = 0; c < count; c++) {
      acc.set(this.base);
      for (const d of this.categorical) addCategorical(kernels[d] as CategoricalKernels, candidates[d]![c]!, acc);
      for (const d of this.numeric) addNumeric(kernels[d] as NumericKernels, candidates[d]![c]!, acc);
      out[c] = logSumExp(acc, this.w);
    }
    return out;
  }
}

function numericKernels(dim: NumericDimension, rows: readonly number[], nDims: number, settings: EstimatorSettings): NumericKernels {
  const n = rows.length;
  const { lo, hi, codes } = dim;
  const range = hi - lo;
  const mu = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mu[i] = codes[rows[i]!]!;
  mu[n] = 0.5 * (lo + hi);
  const sigma = new Float64Array(n + 1);
  if (n > 0) {
    if (settings.multivariate) sigma.fill(0.2 * Math.max(n, 1) ** (-1 / (nDims + 4)) * range, 0, n);
    else neighbourSigmas(mu, n, lo, hi, settings.considerEndpoints, sigma);
    // The "magic clip": no kernel narrower than range / min(100, n + 2), none wider than the range.
    const minSigma = range / Math.min(100, n + 2);
    for (let i = 0; i < n; i++) {
      const x = sigma[i]!;
      sigma[i] = x < minSigma ? minSigma : x > range ? range : x;
    }
  }
  sigma[n] = range;
  const invSigma = new Float64Array(n + 1);
  const logSigma = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) {
    invSigma[k] = 1 / sigma[k]!;
    logSigma[k] = k > 0 && sigma[k] === sigma[k - 1] ? logSigma[k - 1]! : Math.log(sigma[k]!);
  }
  const logNorm = new Float64Array(n + 1);
  const shared = dim.discrete && n > 1 ? distinctKernels(mu, sigma) : null;
  for (let k = 0; k <= n; k++) {
    if (shared && shared.first[shared.of[k]!] !== k) {
      logNorm[k] = logNorm[shared.first[shared.of[k]!]!]!;
      continue;
    }
    const inv = invSigma[k]!;
    const mass = logNormalMass((lo - mu[k]!) * inv, (hi - mu[k]!) * inv);
    logNorm[k] = dim.discrete ? mass : mass + logSigma[k]! + LOG_SQRT_2PI;
  }
  return { dim, mu, sigma, invSigma, logSigma, logNorm, shared };
}

/**
 * Groups kernels with the same centre and width (discrete dimensions: centres lie on the grid, and
 * widths are shared or clipped to the same minimum): `of[k]` is k's group, `first[j]` the first
 * kernel of group j. Bin masses are then computed once per group and candidate.
 */
function distinctKernels(mu: Float64Array, sigma: Float64Array): { of: Int32Array; first: Int32Array } {
  const size = mu.length;
  const sorted = mu.slice().sort();
  const values: number[] = [];
  for (let i = 0; i < size; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) values.push(sorted[i]!);
  // Per distinct centre, the groups seen so far (usually one or two widths).
  const groupsAt: number[][] = values.map(() => []);
  const of = new Int32Array(size);
  const first: number[] = [];
  for (let k = 0; k < size; k++) {
    const x = mu[k]!;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    const groups = groupsAt[lo]!;
    let g = -1;
    for (const j of groups) if (sigma[first[j]!] === sigma[k]) g = j;
    if (g === -1) {
      g = first.length;
      first.push(k);
      groups.push(g);
    }
    of[k] = g;
  }
  return { of, first: Int32Array.from(first) };
}

/**
 * Each kernel's width: the larger gap to its neighbours among the sorted centres (prior included;
 * equal centres keep their index order). Without considerEndpoints, the outermost centres use
 * their inner gap only.
 */
function neighbourSigmas(mu: Float64Array, n: number, lo: number, hi: number, considerEndpoints: boolean, out: Float64Array): void {
  const m = n + 1;
  const sorted = mu.slice(0, m).sort();
  const taken = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const x = mu[k]!;
    let a = 0;
    let b = m - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (sorted[mid]! < x) a = mid + 1;
      else b = mid;
    }
    const j = a + taken[a]!++;
    const left = j === 0 ? sorted[0]! - lo : sorted[j]! - sorted[j - 1]!;
    const right = j === m - 1 ? hi - sorted[m - 1]! : sorted[j + 1]! - sorted[j]!;
    out[k] = considerEndpoints || m < 2 ? Math.max(left, right) : j === 0 ? right : j === m - 1 ? left : Math.max(left, right);
  }
}

/** Adds one dimension's log density at x to every kernel. */
function addNumeric(kern: NumericKernels, x: number, acc: Float64Array): void {
  const { mu, invSigma, logNorm, dim } = kern;
  const size = acc.length;
  if (!dim.discrete) {
    const u = dim.toInternal(x);
    for (let k = 0; k < size; k++) {
      const z = (u - mu[k]!) * invSigma[k]!;
      acc[k] = acc[k]! - 0.5 * z * z - logNorm[k]!;
    }
    return;
  }
  const a = dim.binLow(x);
  const b = dim.binHigh(x);
  const mid = 0.5 * (a + b);
  const width = b - a;
  const logWidth = Math.log(width);
  if (kern.shared) {
    const { of, first } = kern.shared;
    const lp = new Float64Array(first.length);
    for (let j = 0; j < first.length; j++) lp[j] = binLogMass(kern, first[j]!, a, b, mid, width, logWidth);
    for (let k = 0; k < size; k++) acc[k] = acc[k]! + lp[of[k]!]!;
    return;
  }
  for (let k = 0; k < size; k++) acc[k] = acc[k]! + binLogMass(kern, k, a, b, mid, width, logWidth);
}

/** log of kernel k's mass on the bin [a, b] (internal space), relative to its mass in bounds. */
function binLogMass(kern: NumericKernels, k: number, a: number, b: number, mid: number, width: number, logWidth: number): number {
  const inv = kern.invSigma[k]!;
  const mu = kern.mu[k]!;
  const w = width * inv;
  const m = (mid - mu) * inv;
  const mass = w <= 0.5 && w * Math.abs(m) <= 1 ? logNarrowMass(logWidth - kern.logSigma[k]!, w * w, m) : logNormalMass((a - mu) * inv, (b - mu) * inv);
  return mass - kern.logNorm[k]!;
}

/** Each observed choice gets one extra unit on top of a spread of priorWeight / kernels. */
function categoricalKernels(dim: CategoricalDimension, rows: readonly number[], priorWeight: number): CategoricalKernels {
  const n = rows.length;
  const nc = dim.choices.length;
  const hit = new Int32Array(n + 1).fill(-1);
  const start = new Int32Array(nc + 1);
  for (let k = 0; k < n; k++) {
    hit[k] = dim.codes[rows[k]!]!;
    start[hit[k]! + 1]!++;
  }
  for (let c = 0; c < nc; c++) start[c + 1] = start[c + 1]! + start[c]!;
  const byChoice = new Int32Array(n);
  const fill = start.slice(0, nc);
  for (let k = 0; k < n; k++) byChoice[fill[hit[k]!]!++] = k;
  const base = priorWeight / (n + 1);
  const total = base * nc + 1;
  const pHit = (base + 1) / total;
  const pMiss = base / total;
  // Without a prior (priorWeight 0) a miss has probability 0: a finite floor keeps "miss + bonus" exact.
  return { dim, hit, byChoice, start, pHit, pMiss, logHit: Math.log(pHit), logMiss: Math.max(LOG_ZERO, Math.log(pMiss)) };
}

/** Adds the hit bonus to the kernels that observed x (the miss term is already in the base). */
function addCategorical(kern: CategoricalKernels, x: number, acc: Float64Array): void {
  const { byChoice, start } = kern;
  const bonus = kern.logHit - kern.logMiss;
  for (let i = start[x]!, end = start[x + 1]!; i < end; i++) {
    const k = byChoice[i]!;
    acc[k] = acc[k]! + bonus;
  }
}

function sampleChoice(kern: CategoricalKernels, k: number, r: number): number {
  const nc = kern.dim.choices.length;
  const h = kern.hit[k]!;
  if (h < 0) return Math.min(nc - 1, Math.floor(r * nc));
  if (r < kern.pHit || nc < 2) return h;
  const other = Math.min(nc - 2, Math.floor((r - kern.pHit) / kern.pMiss));
  return other < h ? other : other + 1;
}

function pick(cum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  const target = r * cum[hi]!;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** log(sum_k w_k exp(v_k)), weights in [0, 1]. */
function logSumExp(v: Float64Array, w: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < v.length; k++) if (v[k]! > max && w[k]! > 0) max = v[k]!;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    const d = v[k]! - max;
    // Terms under e^-40 (4e-18) of the largest are skipped: they cannot move the result visibly.
    if (d > -40 && w[k]! > 0) s += w[k]! * Math.exp(d);
  }
  return max + Math.log(s);
}
