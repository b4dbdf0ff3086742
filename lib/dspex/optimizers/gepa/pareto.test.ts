import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { COST, QUALITY } from "../../samplers";
import { instanceFronts, objectiveFronts, parentWeights, removeDominated, selectParent } from "./index";

describe("GEPA Pareto bookkeeping", () => {
  // Candidates x validation examples.
  const scores = [
    [0.5, 0, 1, 0], // 0: seed
    [1, 0, 1, 0], // 1: best on 0 and 2
    [0, 1, 0.5, 0], // 2: best on 1
    [0, 1, 0, 0], // 3: tied with 2 on example 1 only
  ];
  const aggregates = scores.map((s) => s.reduce((a, b) => a + b, 0) / s.length);

  it("keeps, per validation example, every candidate with the best score on it", () => {
    const fronts = instanceFronts(scores);
    expect([...fronts.get("example:0")!]).toEqual([1]);
    expect([...fronts.get("example:1")!]).toEqual([2, 3]);
    expect([...fronts.get("example:2")!]).toEqual([0, 1]);
    expect([...fronts.get("example:3")!]).toEqual([0, 1, 2, 3]);
  });

  it("drops candidates every front of which holds another candidate, lowest aggregate first", () => {
    const pruned = removeDominated(instanceFronts(scores), aggregates);
    // 3 (lowest) goes: 2 covers example 1; 0 goes: 1 covers examples 2 and 3.
    expect([...pruned.get("example:1")!]).toEqual([2]);
    expect([...pruned.get("example:2")!]).toEqual([1]);
    expect([...pruned.get("example:3")!]).toEqual([1, 2]);
  });

  it("weights each non-dominated parent by the number of fronts it is on, and draws in proportion", () => {
    const fronts = instanceFronts(scores);
    expect([...parentWeights(fronts, aggregates)]).toEqual([
      [1, 3],
      [2, 2],
    ]);
    const rng = createRng(11);
    let ones = 0;
    for (let i = 0; i < 5000; i++) if (selectParent(rng, fronts, aggregates) === 1) ones++;
    expect(ones / 5000).toBeGreaterThan(0.57);
    expect(ones / 5000).toBeLessThan(0.63);
  });

  it("adds one front per objective in multi-objective mode (quality up, cost down)", () => {
    const fronts = objectiveFronts([[0.8, 0.02], [0.6, 0.001], [0.8, 0.03], undefined], [QUALITY, COST]);
    expect([...fronts.get("objective:quality")!]).toEqual([0, 2]);
    expect([...fronts.get("objective:cost")!]).toEqual([1]);
    // The cheap candidate is a possible parent even though it is best on no example.
    const all = new Map([...instanceFronts([[1, 1], [0, 0], [1, 1]]), ...fronts]);
    expect([...parentWeights(all, [1, 0, 1]).keys()]).toContain(1);
  });
});
