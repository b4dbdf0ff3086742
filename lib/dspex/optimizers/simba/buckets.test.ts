import { describe, expect, it } from "vitest";
import { groupByExample, percentile, sortBuckets } from "./index";

const run = (example: number, score: number, tag: string) => ({ example, score, tag });

describe("SIMBA buckets", () => {
  it("groups runs by example in minibatch order, best run first, ties in sampling order", () => {
    const runs = [run(7, 0, "a"), run(3, 1, "b"), run(7, 1, "c"), run(7, 1, "d"), run(3, 0.5, "e")];
    const buckets = groupByExample(runs, [3, 7, 9]);
    expect(buckets.map((b) => b.example)).toEqual([3, 7]);
    expect(buckets[1]!.runs.map((r) => r.tag)).toEqual(["c", "d", "a"]);
    expect(buckets[1]).toMatchObject({ max: 1, min: 0, gap: 1 });
    expect(buckets[1]!.mean).toBeCloseTo(2 / 3);
    expect(buckets[1]!.maxToMean).toBeCloseTo(1 / 3);
  });

  it("sorts by spread, then max, then max - mean, keeping the order of equal buckets", () => {
    const runs = [
      // example 0: gap 0.5, max 1
      run(0, 1, ""), run(0, 0.5, ""),
      // example 1: gap 0.5, max 0.5
      run(1, 0.5, ""), run(1, 0, ""),
      // example 2: gap 1, max 1
      run(2, 1, ""), run(2, 0, ""),
      // example 3: gap 0.5, max 1, but a higher max - mean than example 0
      run(3, 1, ""), run(3, 0.5, ""), run(3, 0.5, ""),
      // examples 4 and 5: identical (no spread)
      run(4, 1, ""), run(5, 1, ""),
    ];
    const sorted = sortBuckets(groupByExample(runs, [0, 1, 2, 3, 4, 5]));
    expect(sorted.map((b) => b.example)).toEqual([2, 3, 0, 1, 4, 5]);
  });

  it("computes percentiles by linear interpolation (as numpy does)", () => {
    expect(percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10)).toBeCloseTo(0.9);
    expect(percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 90)).toBeCloseTo(8.1);
    expect(percentile([1, 0, 0, 1, 1], 10)).toBeCloseTo(0);
    expect(percentile([0.2, 0.8], 50)).toBeCloseTo(0.5);
    expect(percentile([5], 10)).toBe(5);
  });
});
