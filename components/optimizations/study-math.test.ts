import { describe, expect, it } from "vitest";
import { contourGrid, empiricalDistribution, trialDistributions } from "./study-math";
import { parallelAxes, type TrialPoint } from "./trial-math";

const trial = (number: number, score: number | null, config: Record<string, unknown>, evaluation: "full" | "minibatch" = "full"): TrialPoint => ({ number, status: "complete", evaluation, score, costUsd: 0, lmCalls: 0, latencyMs: null, config });

describe("empirical distribution", () => {
  it("steps to the share of scores at or below each distinct score", () => {
    expect(empiricalDistribution([0.5, 0.25, 0.5, 1])).toEqual([
      { score: 0.25, share: 0.25 },
      { score: 0.5, share: 0.75 },
      { score: 1, share: 1 },
    ]);
    expect(empiricalDistribution([])).toEqual([]);
  });

  it("keeps full evaluations and minibatches apart, and leaves out unscored trials", () => {
    const d = trialDistributions([trial(0, 0.5, {}), trial(1, 1, {}, "minibatch"), trial(2, null, {}), trial(3, 0.75, {})]);
    expect(d.full.map((p) => p.score)).toEqual([0.5, 0.75]);
    expect(d.minibatch).toEqual([{ score: 1, share: 1 }]);
  });
});

describe("contour grid", () => {
  const trials = [trial(0, 0, { t: 0, m: "a" }), trial(1, 1, { t: 1, m: "b" }), trial(2, 0.5, { t: 0.5, m: "a" })];
  const [m, t] = parallelAxes(trials);

  it("places each trial on the two axes and interpolates between them, nearer trials weighing more", () => {
    const { points, cells } = contourGrid(trials, t!, m!, 4);
    expect(points).toEqual([
      { number: 0, x: 0, y: 0, score: 0 },
      { number: 1, x: 1, y: 1, score: 1 },
      { number: 2, x: 0.5, y: 0, score: 0.5 },
    ]);
    expect(cells).toHaveLength(16);
    const at = (x: number, y: number) => cells.find((c) => c.x === x && c.y === y)!.score;
    expect(at(0.875, 0.875)).toBeGreaterThan(0.8);
    expect(at(0.125, 0.125)).toBeLessThan(0.2);
    for (const c of cells) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(1);
    }
  });

  it("is empty without scored trials", () => {
    expect(contourGrid([trial(0, null, { t: 0, m: "a" })], t!, m!).cells).toEqual([]);
  });
});
