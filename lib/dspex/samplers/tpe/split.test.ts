// The good/bad split of TPE and MOTPE (internal module, imported directly).
import { describe, expect, it } from "vitest";
import { COST, QUALITY, scoredTrials, type TrialRecord } from "../index";
import { hypervolumeWeights, selectByHypervolume } from "./mo-selection";
import { splitTrials } from "./split";

const LOSS = [{ name: "loss", direction: "minimize" as const }];
const trial = (number: number, values?: number[], state: TrialRecord["state"] = "complete", evaluation?: "full" | "minibatch"): TrialRecord => ({
  number,
  config: { n: number },
  state,
  ...(values ? { values } : {}),
  ...(evaluation ? { evaluation } : {}),
});

describe("splitTrials", () => {
  it("one objective: the n lowest losses are good (ties to the older trial); running trials are bad; both in trial order", () => {
    const trials = [trial(0, [5]), trial(1, [1]), trial(2, [3]), trial(3, [1]), trial(4, [0.5]), trial(5, [1]), trial(6, undefined, "running")];
    const scored = scoredTrials(trials, LOSS);
    const split = splitTrials(scored, [trials[6]!], 3, 1);
    expect(split.below.map((o) => o.number)).toEqual([1, 3, 4]);
    expect(split.above.map((o) => o.number)).toEqual([0, 2, 5, 6]);
    expect(split.belowWeights).toBeNull();
  });

  it("reads maximized objectives the other way round and weighs full evaluations", () => {
    const trials = [trial(0, [0.2]), trial(1, [0.9], "complete", "full"), trial(2, [0.5])];
    const split = splitTrials(scoredTrials(trials, [QUALITY]), [], 1, 4);
    expect(split.below.map((o) => [o.number, o.factor])).toEqual([[1, 4]]);
    expect(split.above.map((o) => o.factor)).toEqual([1, 1]);
  });

  it("several objectives: whole fronts first, the last front cut by hypervolume; good trials weighted by contribution", () => {
    // quality up, cost down. Front 0: 0, 1, 2. Front 1: 3, 4, 5, 6.
    const values = [
      [0.9, 10],
      [0.8, 5],
      [0.5, 1],
      [0.85, 11],
      [0.7, 6],
      [0.69, 6.1],
      [0.4, 2],
    ];
    const trials = values.map((v, i) => trial(i, v));
    const split = splitTrials(scoredTrials(trials, [QUALITY, COST]), [], 5, 1);
    const below = split.below.map((o) => o.number);
    expect(below.slice(0, 3)).toEqual([0, 1, 2].filter((n) => below.includes(n)));
    expect([0, 1, 2].every((n) => below.includes(n))).toBe(true);
    expect(below).toHaveLength(5);
    // Of 4 and 5 (almost the same point), only one is picked.
    expect(below.includes(4) && below.includes(5)).toBe(false);
    expect(split.belowWeights).toHaveLength(5);
    expect(Math.max(...split.belowWeights!)).toBe(1);
  });
});

describe("multi-objective selection", () => {
  it("greedy hypervolume subset selection picks the largest gains (hand-computed)", () => {
    // Reference: 10% of the spread past the worst, (4.19, 4.3). Alone: A 0.957, B 5.037,
    // C 4.912, D 0.957: B first. Gains over B: A 0.3, C 0.1045, D 0.29: A second.
    expect(selectByHypervolume([[1, 4], [2, 2], [2.1, 1.95], [3.9, 1]], 2)).toEqual([1, 0]);
    expect(selectByHypervolume([[1, 4], [2, 2], [2.1, 1.95], [3.9, 1]], 3)).toEqual([1, 0, 3]);
    expect(selectByHypervolume([[1, 4], [2, 2]], 5)).toEqual([0, 1]);
  });

  it("weights dominated good trials (no exclusive contribution) near zero", () => {
    // Reference (3.2, 3.2): exclusive contributions 0.2, 1, 0.2 and 0 (dominated by (2, 2)).
    const w = hypervolumeWeights([[1, 3], [2, 2], [3, 1], [3, 3]]);
    expect(w[0]).toBeCloseTo(0.2, 9);
    expect(w[1]).toBe(1);
    expect(w[2]).toBeCloseTo(0.2, 9);
    expect(w[3]).toBeLessThan(1e-9);
  });
});
