import { describe, expect, it } from "vitest";
import { COST, QUALITY } from "../../samplers";
import { defaultReference, EpochBatches, frontReport } from "./index";
import { createRng } from "../../random";

describe("GEPA quality/cost front", () => {
  const points = [
    { id: 0, values: [0.5, 0.01] },
    { id: 1, values: [0.8, 0.03] },
    { id: 2, values: [0.7, 0.04] }, // dominated by 1
    { id: 3, values: [0.9, 0.05] },
  ];

  it("reports the non-dominated candidates and the hypervolume they dominate", () => {
    const report = frontReport(points, [QUALITY, COST], [0, 0.1]);
    expect(report.front.map((p) => p.id)).toEqual([0, 1, 3]);
    // Area dominated w.r.t. (quality 0, cost 0.1): 0.5*0.09 + (0.8-0.5)*0.07 + (0.9-0.8)*0.05.
    expect(report.hypervolume).toBeCloseTo(0.5 * 0.09 + 0.3 * 0.07 + 0.1 * 0.05, 10);
  });

  it("places the default reference just past the worst value of each objective", () => {
    const ref = defaultReference(points, [QUALITY, COST]);
    expect(ref[0]).toBeCloseTo(0.5 - 0.04);
    expect(ref[1]).toBeCloseTo(0.05 + 0.004);
    expect(frontReport(points, [QUALITY, COST]).hypervolume).toBeGreaterThan(0);
  });
});

describe("GEPA minibatches", () => {
  it("covers the training set once per epoch in whole minibatches, the same for the same iteration", () => {
    const batches = new EpochBatches(7, 3, createRng(2));
    const epoch = [0, 1, 2].flatMap((i) => batches.at(i));
    expect(epoch).toHaveLength(9);
    expect(new Set(epoch)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(batches.at(4)).toEqual(new EpochBatches(7, 3, createRng(2)).at(4));
    expect(batches.at(3)).toHaveLength(3);
  });
});
