import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { ancestorsOf, changedDifferentComponents, emptyMergeLog, findMergeTriplet, mergeAccepted, mergeTexts, proposeMerge, stratifiedSubsample, type Lineage } from "./index";

// 0 seed; 1 and 2 children of 0 changing different components; 3 child of 1; 4 child of 0 changing both.
const lineage: Lineage = {
  texts: [
    { a: "A0", b: "B0" },
    { a: "A1", b: "B0" },
    { a: "A0", b: "B2" },
    { a: "A3", b: "B0" },
    { a: "A4", b: "B4" },
  ],
  parents: [[], [0], [0], [1], [0]],
  aggregates: [0.2, 0.5, 0.6, 0.7, 0.3],
};

describe("GEPA merge", () => {
  it("finds ancestors through every parent", () => {
    expect([...ancestorsOf(lineage.parents, 3)].sort()).toEqual([0, 1]);
    expect(ancestorsOf(lineage.parents, 0).size).toBe(0);
    expect([...ancestorsOf([[], [0], [0], [1, 2]], 3)].sort()).toEqual([0, 1, 2]);
  });

  it("requires descendants that changed different components from the ancestor", () => {
    expect(changedDifferentComponents(lineage, 0, 1, 2)).toBe(true);
    expect(changedDifferentComponents(lineage, 0, 2, 3)).toBe(true);
    // 1 and 3 both changed "a" (differently) and neither changed "b".
    expect(changedDifferentComponents(lineage, 0, 1, 3)).toBe(false);
    expect(changedDifferentComponents({ ...lineage, texts: [{ a: "A0" }, { a: "A1" }, { a: "A1" }] }, 0, 1, 2)).toBe(false);
  });

  it("only pairs candidates that are not each other's ancestors, over an ancestor scoring no better than both", () => {
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const found = findMergeTriplet(rng, lineage, [1, 2, 3], emptyMergeLog());
      expect(found).toBeDefined();
      expect([found!.i, found!.j]).not.toEqual([1, 3]);
      expect(found!.ancestor).toBe(0);
    }
    // 0 scores better than 4: no ancestor qualifies for a pair with 4.
    expect(findMergeTriplet(createRng(2), { ...lineage, aggregates: [0.9, 0.5, 0.6, 0.7, 0.3] }, [2, 4], emptyMergeLog())).toBeUndefined();
  });

  it("takes each component from the descendant that changed it", () => {
    expect(mergeTexts(createRng(1), lineage, 2, 3, 0)).toEqual({ texts: { a: "A3", b: "B2" }, sources: [3, 2] });
    // Both changed "a": the higher aggregate wins (3 over 4); only 4 changed "b".
    expect(mergeTexts(createRng(1), lineage, 3, 4, 0)).toEqual({ texts: { a: "A3", b: "B4" }, sources: [3, 4] });
  });

  it("never proposes the same merge twice", () => {
    const log = emptyMergeLog();
    const rng = createRng(4);
    const first = proposeMerge(rng, lineage, [2, 3], log);
    expect(first).toMatchObject({ first: 2, second: 3, ancestor: 0, texts: { a: "A3", b: "B2" } });
    expect(proposeMerge(rng, lineage, [2, 3], log)).toBeUndefined();
    expect(proposeMerge(createRng(1), { ...lineage, texts: lineage.texts.slice(0, 2) }, [0, 1], emptyMergeLog())).toBeUndefined();
  });

  it("tests a merge on examples drawn from each stratum: first better, second better, tie", () => {
    const first = [1, 1, 1, 0, 0, 0, 1, 0, 1, 0];
    const second = [0, 0, 0, 1, 1, 1, 1, 0, 1, 0];
    const picked = stratifiedSubsample(createRng(3), first, second, 5);
    expect(picked).toHaveLength(5);
    expect(new Set(picked).size).toBe(5);
    expect(picked.filter((k) => first[k]! > second[k]!)).toHaveLength(2);
    expect(picked.filter((k) => second[k]! > first[k]!)).toHaveLength(2);
    expect(picked.filter((k) => first[k] === second[k])).toHaveLength(1);
    expect(stratifiedSubsample(createRng(3), [1, 0], [0, 1], 5).sort()).toEqual([0, 1]);
  });

  it("keeps a merge that does at least as well as the better parent on the subsample", () => {
    expect(mergeAccepted([1, 1, 0], [1, 0, 0], [1, 1, 0])).toBe(true);
    expect(mergeAccepted([1, 0, 0], [1, 0, 0], [1, 1, 0])).toBe(false);
  });
});
