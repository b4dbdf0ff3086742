import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { COST, QUALITY, crowdingDistance, dominates, hypervolume, hypervolumeContributions, nonDominatedSort, paretoFront, type Objective } from "./index";

const MIN2: Objective[] = [
  { name: "a", direction: "minimize" },
  { name: "b", direction: "minimize" },
];
const MIN3: Objective[] = [...MIN2, { name: "c", direction: "minimize" }];
const QC = [QUALITY, COST];

describe("dominates", () => {
  it("follows each objective's direction", () => {
    expect(dominates([0.9, 5], [0.8, 6], QC)).toBe(true);
    expect(dominates([0.9, 5], [0.9, 5], QC)).toBe(false);
    expect(dominates([0.9, 7], [0.8, 6], QC)).toBe(false);
    expect(dominates([0.9, 5], [0.9, 6], QC)).toBe(true);
    expect(dominates([1, 1], [2, 2], MIN2)).toBe(true);
  });

  it("names the mismatch when a point has the wrong number of values", () => {
    expect(() => dominates([1], [1, 2], QC)).toThrow(/has 1 value\(s\) but there are 2 objective\(s\)/);
  });
});

describe("nonDominatedSort and paretoFront", () => {
  // quality up, cost down. C is dominated by B, D by A; E is cheap and poor but not dominated.
  const A = { id: "A", values: [0.9, 10] };
  const B = { id: "B", values: [0.8, 5] };
  const C = { id: "C", values: [0.7, 6] };
  const D = { id: "D", values: [0.9, 12] };
  const E = { id: "E", values: [0.5, 1] };
  const F = { id: "F", values: [0.6, 13] }; // dominated by A, B, C (rank 2 via C)
  const noValues: { id: string; values?: number[] } = { id: "X" };
  const nan = { id: "Y", values: [Number.NaN, 1] };

  it("ranks hand-computed fronts and leaves out items without usable values", () => {
    const fronts = nonDominatedSort([A, B, C, D, E, F, noValues, nan], QC);
    expect(fronts.map((f) => f.map((t) => t.id))).toEqual([["A", "B", "E"], ["C", "D"], ["F"]]);
    expect(paretoFront([A, B, C, D, E, F], QC).map((t) => t.id)).toEqual(["A", "B", "E"]);
    expect(paretoFront([], QC)).toEqual([]);
  });

  it("keeps equal points in the same front", () => {
    expect(nonDominatedSort([{ values: [1, 1] }, { values: [1, 1] }], MIN2)).toHaveLength(1);
  });

  it("matches a brute-force front on random points", () => {
    const rng = createRng(4);
    const pts = Array.from({ length: 200 }, () => ({ values: [rng.next(), rng.next(), rng.next()] }));
    const front = paretoFront(pts, MIN3);
    const brute = pts.filter((p) => !pts.some((q) => dominates(q.values, p.values, MIN3)));
    expect(new Set(front)).toEqual(new Set(brute));
  });
});

describe("crowdingDistance", () => {
  it("gives the extremes Infinity and sums normalized neighbour gaps", () => {
    expect(crowdingDistance([[1, 5], [2, 3], [4, 1]])).toEqual([Infinity, 2, Infinity]);
    const d = crowdingDistance([[0, 4], [1, 3], [3, 1], [4, 0]]);
    expect(d[1]).toBeCloseTo(3 / 4 + 3 / 4);
    expect(d[2]).toBeCloseTo(3 / 4 + 3 / 4);
    expect(crowdingDistance([[1, 2], [3, 4]])).toEqual([Infinity, Infinity]);
    expect(crowdingDistance([])).toEqual([]);
  });
});

describe("hypervolume", () => {
  it("computes hand-checked 2-D areas, ignoring points not better than the reference", () => {
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4], MIN2)).toBeCloseTo(6);
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [5, 0], [2.5, 2.5]], [4, 4], MIN2)).toBeCloseTo(6);
    expect(hypervolume([], [4, 4], MIN2)).toBe(0);
    // Maximized quality, minimized cost: quality 0.9 / cost 2 against reference (0, 10).
    expect(hypervolume([[0.9, 2]], [0, 10], QC)).toBeCloseTo(0.9 * 8);
  });

  it("computes hand-checked 3-D and 4-D volumes (inclusion-exclusion)", () => {
    expect(hypervolume([[1, 1, 1]], [2, 2, 2], MIN3)).toBeCloseTo(1);
    expect(hypervolume([[0, 1, 1], [1, 0, 1]], [2, 2, 2], MIN3)).toBeCloseTo(3);
    expect(hypervolume([[0, 1, 1], [1, 0, 1], [1, 1, 0]], [2, 2, 2], MIN3)).toBeCloseTo(4);
    const MIN4 = [...MIN3, { name: "d", direction: "minimize" as const }];
    expect(hypervolume([[0, 0, 0, 0]], [1, 2, 3, 4], MIN4)).toBeCloseTo(24);
    expect(hypervolume([[0, 0, 0, 1], [1, 0, 0, 0]], [2, 2, 2, 2], MIN4)).toBeCloseTo(12);
  });

  it("agrees with a Monte Carlo estimate on random 3-D fronts", () => {
    const rng = createRng(9);
    const pts = Array.from({ length: 30 }, () => [rng.next(), rng.next(), rng.next()]);
    const exact = hypervolume(pts, [1, 1, 1], MIN3);
    let inside = 0;
    const samples = 100_000;
    for (let i = 0; i < samples; i++) {
      const x = [rng.next(), rng.next(), rng.next()];
      if (pts.some((p) => p.every((v, j) => v <= x[j]!))) inside++;
    }
    expect(Math.abs(exact - inside / samples)).toBeLessThan(0.01);
  });

  it("gives each point's exclusive contribution", () => {
    expect(hypervolumeContributions([[1, 3], [2, 2], [3, 1]], [4, 4], MIN2).map((c) => Number(c.toFixed(9)))).toEqual([1, 1, 1]);
    expect(hypervolumeContributions([[1, 1], [2, 2]], [3, 3], MIN2)).toEqual([3, 0]);
  });

  it("names the mismatch when the reference has the wrong length", () => {
    expect(() => hypervolume([[1, 2]], [3], MIN2)).toThrow(/reference point has 1 value/);
  });
});
