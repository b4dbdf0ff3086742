// Internal numerics of the TPE kernels (imported directly: they are not part of the public API).
import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { logNormalCdf, logNormalMass, sampleTruncatedNormal } from "./truncated-normal";

/** log of the standard normal mass of [a, b] by composite Simpson (reference, moderate ranges). */
function simpson(a: number, b: number): number {
  const n = 20_000;
  const h = (b - a) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h;
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-0.5 * x * x);
  }
  return Math.log((s * h) / 3 / Math.sqrt(2 * Math.PI));
}

describe("truncated normal numerics", () => {
  it("log CDF matches known values, deep into the tail", () => {
    expect(Math.exp(logNormalCdf(0))).toBeCloseTo(0.5, 7);
    expect(Math.exp(logNormalCdf(1.959963985))).toBeCloseTo(0.975, 7);
    expect(Math.exp(logNormalCdf(-5))).toBeCloseTo(2.866515719e-7, 12);
    // log Phi(-40) = -800 - log(40) - log(sqrt(2 pi)) + log(1 - 1/1600 + ...)
    expect(logNormalCdf(-40)).toBeCloseTo(-804.60844, 3);
    expect(logNormalCdf(40)).toBeCloseTo(0, 12);
  });

  it("log mass of an interval is within 2e-6 of numerical integration everywhere", () => {
    let worst = 0;
    for (let a = -8; a <= 8; a += 0.37) {
      for (const w of [1e-4, 0.01, 0.1, 0.3, 0.5, 0.8, 1.5, 3, 7]) worst = Math.max(worst, Math.abs(logNormalMass(a, a + w) - simpson(a, a + w)));
    }
    expect(worst).toBeLessThan(2e-6);
    expect(logNormalMass(-1, 1)).toBeCloseTo(Math.log(0.6826894921370859), 7);
    expect(logNormalMass(1, 1)).toBe(-Infinity);
  });

  it("stays finite far in the tails", () => {
    const far = logNormalMass(30, 31);
    expect(Number.isFinite(far)).toBe(true);
    expect(far).toBeCloseTo(logNormalCdf(-30), 3);
    expect(logNormalMass(-31, -30)).toBeCloseTo(far, 9);
  });

  it("draws inside the bounds with the right mean", () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 20_000 }, () => sampleTruncatedNormal(0.2, 0.5, 0, 1, rng));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    // Mean of N(0.2, 0.5) truncated to [0, 1]: mu + sigma (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
    const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const a = -0.4;
    const b = 1.6;
    const expected = 0.2 + (0.5 * (phi(a) - phi(b))) / Math.exp(logNormalMass(a, b));
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(expected, 2);
  });
});
