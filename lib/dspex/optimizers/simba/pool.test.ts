import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { finalistPositions, meanScore, softmaxPick, softmaxWeights, topKPlusBaseline, type SimbaProgram } from "./index";

const program = (id: number, scores: number[]): SimbaProgram => ({ id, config: { id }, scores });

describe("SIMBA program pool", () => {
  const pool = [program(0, [0.2]), program(1, [0.9, 0.7]), program(2, [0.5]), program(3, [1]), program(4, [])];

  it("ranks by mean score and always keeps the baseline among the top k", () => {
    expect(meanScore(pool[1]!)).toBeCloseTo(0.8);
    expect(meanScore(pool[4]!)).toBe(0);
    expect(topKPlusBaseline(pool, 3)).toEqual([3, 1, 0]);
    expect(topKPlusBaseline(pool, 5)).toEqual([3, 1, 2, 0, 4]);
    expect(topKPlusBaseline([program(0, [])], 6)).toEqual([0]);
  });

  it("draws programs by softmax over mean scores at the given temperature", () => {
    const w = softmaxWeights([1, 0.8], 0.2);
    expect(w[0]! / w[1]!).toBeCloseTo(Math.exp(1));
    expect(w[0]! + w[1]!).toBeCloseTo(1);
    const rng = createRng(5);
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const id = softmaxPick(rng, pool, [3, 2], 0.2);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // exp((1 - 0.5) / 0.2) = 12.2: program 3 about 92% of the time.
    expect(counts.get(3)! / 4000).toBeGreaterThan(0.89);
    expect(counts.get(3)! / 4000).toBeLessThan(0.95);
  });

  it("spreads the finalists evenly over the step winners", () => {
    expect(finalistPositions(9, 7)).toEqual([0, 1, 3, 4, 5, 7, 8]);
    expect(finalistPositions(3, 7)).toEqual([0, 1, 2]);
    expect(finalistPositions(1, 7)).toEqual([0]);
    // Halves round to even, as in DSPy (Python's round).
    expect(finalistPositions(4, 3)).toEqual([0, 2, 3]);
  });
});
