import { describe, expect, it } from "vitest";
import { defaultGamma, defaultWeights } from "../index";

describe("TPE defaults", () => {
  it("gamma(n) = min(ceil(0.1 n), 25)", () => {
    expect([0, 1, 10, 11, 99, 250, 251, 1000].map(defaultGamma)).toEqual([0, 1, 1, 2, 10, 25, 25, 25]);
  });

  it("weights are flat up to 25 observations, then ramp from 1/n for the older ones", () => {
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30);
    expect(w[4]).toBeCloseTo(1);
    expect(Array.from(w.slice(5))).toEqual(new Array(25).fill(1));
    expect(w[1]! - w[0]!).toBeCloseTo(w[2]! - w[1]!);
    expect(Array.from(defaultWeights(26))).toEqual([1 / 26, ...new Array(25).fill(1)]);
  });
});
