// The Parzen estimator is a proper density: it integrates (numeric) or sums (discrete,
// categorical) to one over the domain, and its samples follow it. Internal module, imported
// directly.
import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { variable, type Config } from "../../variables";
import { encodeDimension } from "./dimensions";
import { ParzenEstimator, type EstimatorSettings } from "./parzen-estimator";
import { defaultWeights } from "./weights";

const UNI: EstimatorSettings = { priorWeight: 1, multivariate: false, considerEndpoints: false };
const MULTI: EstimatorSettings = { ...UNI, multivariate: true };

function fit(v: ReturnType<typeof variable.float>, values: number[], settings: EstimatorSettings) {
  const configs: Config[] = values.map((x) => ({ [v.name]: x }));
  const dim = encodeDimension(v, configs);
  return new ParzenEstimator([dim], values.map((_, i) => i), defaultWeights(values.length), settings);
}

describe("ParzenEstimator", () => {
  for (const [label, settings] of [["univariate", UNI], ["multivariate", MULTI]] as const) {
    it(`${label}: a continuous density integrates to 1 over the domain`, () => {
      const est = fit(variable.float("x", { low: -2, high: 3 }), [-1.9, 0, 0.1, 2.5, 2.99], settings);
      const n = 20_000;
      const xs = Float64Array.from({ length: n }, (_, i) => -2 + ((i + 0.5) * 5) / n);
      const total = est.logPdf([xs]).reduce((s, lp) => s + Math.exp(lp) * (5 / n), 0);
      expect(total).toBeCloseTo(1, 3);
    });

    it(`${label}: a log-scale density integrates to 1 in log space`, () => {
      const est = fit(variable.float("lr", { low: 1e-5, high: 1, log: true }), [1e-3, 2e-3, 0.5], settings);
      const n = 20_000;
      const lo = Math.log(1e-5);
      const width = -lo;
      const xs = Float64Array.from({ length: n }, (_, i) => Math.exp(lo + ((i + 0.5) * width) / n));
      const total = est.logPdf([xs]).reduce((s, lp) => s + Math.exp(lp) * (width / n), 0);
      expect(total).toBeCloseTo(1, 3);
    });

    it(`${label}: discrete masses (ints, log ints, stepped floats) sum to 1 over the grid`, () => {
      const cases: Array<[ReturnType<typeof variable.int>, number[], number[]]> = [
        [variable.int("n", { low: 1, high: 20 }), [3, 3, 4, 19], Array.from({ length: 20 }, (_, i) => i + 1)],
        [variable.int("w", { low: 1, high: 64, log: true }), [2, 8, 8, 60], Array.from({ length: 64 }, (_, i) => i + 1)],
        [variable.float("p", { low: 0, high: 1, step: 0.25 }), [0, 0.25, 1], [0, 0.25, 0.5, 0.75, 1]],
      ];
      for (const [v, values, grid] of cases) {
        const est = fit(v, values, settings);
        const total = est.logPdf([Float64Array.from(grid)]).reduce((s, lp) => s + Math.exp(lp), 0);
        expect(total).toBeCloseTo(1, 5);
      }
    });
  }

  it("categorical: probabilities sum to 1 and samples follow them", () => {
    const v = variable.choice("c", { choices: ["a", "b", "c", "d"] });
    const configs: Config[] = ["a", "a", "a", "b"].map((c) => ({ c }));
    const est = new ParzenEstimator([encodeDimension(v, configs)], [0, 1, 2, 3], defaultWeights(4), UNI);
    const p = Array.from(est.logPdf([Float64Array.from([0, 1, 2, 3])]), Math.exp);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
    // Kernels: 4 observations + prior (weight 1 each); each observation kernel puts
    // (0.2 + 1) / (0.8 + 1) on its choice and 0.2 / 1.8 elsewhere; the prior is uniform.
    const hit = 1.2 / 1.8;
    const miss = 0.2 / 1.8;
    expect(p[0]).toBeCloseTo((3 * hit + miss + 0.25) / 5, 10);
    expect(p[2]).toBeCloseTo((4 * miss + 0.25) / 5, 10);
    const draws = est.sample(20_000, createRng(2))[0]!;
    const freq = [0, 1, 2, 3].map((c) => draws.filter((x) => x === c).length / draws.length);
    freq.forEach((f, i) => expect(f).toBeCloseTo(p[i]!, 2));
  });

  it("samples stay inside the domain and on the grid", () => {
    const v = variable.int("k", { low: 2, high: 9, step: 1 });
    const est = fit(v, [2, 2, 9], UNI);
    const xs = est.sample(5_000, createRng(3))[0]!;
    for (const x of xs) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(2);
      expect(x).toBeLessThanOrEqual(9);
    }
  });

  it("a joint (multivariate) kernel keeps the correlation of past trials", () => {
    const x = variable.float("x", { low: 0, high: 1 });
    const y = variable.float("y", { low: 0, high: 1 });
    const pts = Array.from({ length: 40 }, (_, i) => ({ x: i % 2 ? 0.1 : 0.9, y: i % 2 ? 0.1 : 0.9 }));
    const dims = [encodeDimension(x, pts), encodeDimension(y, pts)];
    const est = new ParzenEstimator(dims, pts.map((_, i) => i), defaultWeights(pts.length), MULTI);
    const [lpDiag, lpOff] = est.logPdf([Float64Array.from([0.1, 0.1]), Float64Array.from([0.1, 0.9])]);
    expect(lpDiag! - lpOff!).toBeGreaterThan(3);
  });
});

describe("ParzenEstimator without a prior (priorWeight 0)", () => {
  it("stays finite and puts all mass on observed choices", () => {
    const v = variable.choice("c", { choices: ["a", "b", "c"] });
    const configs: Config[] = ["a", "b"].map((c) => ({ c }));
    const est = new ParzenEstimator([encodeDimension(v, configs)], [0, 1], defaultWeights(2), { ...UNI, priorWeight: 0 });
    const p = Array.from(est.logPdf([Float64Array.from([0, 1, 2])]), Math.exp);
    expect(p[0]).toBeCloseTo(0.5, 10);
    expect(p[1]).toBeCloseTo(0.5, 10);
    expect(p[2]).toBeCloseTo(0, 10);
    expect(Array.from(est.sample(50, createRng(1))[0]!).every((x) => x === 0 || x === 1)).toBe(true);
  });
});

describe("ParzenEstimator bandwidths", () => {
  // Observations 2, 3, 4, 7 on [0, 10], prior centred at 5 with width 10. Sorted centres with
  // the prior: 2, 3, 4, 5, 7. Widths: the larger gap to a neighbour (the outermost use their
  // inner gap unless considerEndpoints), clipped to [10 / min(100, 4 + 2), 10].
  const obs = [2, 3, 4, 7];
  const density = (x: number, sigmas: number[]) => {
    const mus = [...obs, 5];
    const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const cdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
    return mus.reduce((s, mu, k) => s + (0.2 * phi((x - mu) / sigmas[k]!)) / sigmas[k]! / (cdf((10 - mu) / sigmas[k]!) - cdf((0 - mu) / sigmas[k]!)), 0);
  };
  const clip = (s: number) => Math.min(10, Math.max(10 / 6, s));

  it("univariate: neighbour gaps, with and without the endpoints", () => {
    const v = variable.float("x", { low: 0, high: 10 });
    const xs = Float64Array.from([0.2, 2.5, 4.5, 7, 9.9]);
    for (const considerEndpoints of [false, true]) {
      const est = new ParzenEstimator([encodeDimension(v, obs.map((x) => ({ x })))], [0, 1, 2, 3], Float64Array.from([1, 1, 1, 1]), { ...UNI, considerEndpoints });
      const sigmas = [clip(considerEndpoints ? 2 : 1), clip(1), clip(1), clip(considerEndpoints ? 3 : 2), 10];
      const got = Array.from(est.logPdf([xs]), Math.exp);
      got.forEach((p, i) => expect(p).toBeCloseTo(density(xs[i]!, sigmas), 6));
    }
  });

  it("multivariate: one Scott-like width 0.2 n^(-1/(d + 4)) of the range for every observation", () => {
    const v = variable.float("x", { low: 0, high: 10 });
    const est = new ParzenEstimator([encodeDimension(v, obs.map((x) => ({ x })))], [0, 1, 2, 3], Float64Array.from([1, 1, 1, 1]), MULTI);
    const s = clip(0.2 * 4 ** (-1 / 5) * 10);
    const xs = Float64Array.from([0.2, 2.5, 9.9]);
    Array.from(est.logPdf([xs]), Math.exp).forEach((p, i) => expect(p).toBeCloseTo(density(xs[i]!, [s, s, s, s, 10]), 6));
  });
});

/** erf by its Maclaurin series (|x| < 3 here; converges to double precision). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
