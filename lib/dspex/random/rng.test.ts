import { describe, expect, it } from "vitest";
import { createRng } from "./index";

describe("createRng", () => {
  it("is reproducible from its seed and differs between seeds", () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const draw = createRng(42);
    expect(Array.from({ length: 5 }, () => draw.next())).toEqual(a);
    const other = createRng(43);
    expect(Array.from({ length: 5 }, () => other.next())).not.toEqual(a);
  });

  it("forks independent streams: drawing from one does not shift the other", () => {
    const root = createRng(1);
    const x1 = root.fork("x");
    const seq = [x1.next(), x1.next()];
    const root2 = createRng(1);
    root2.next();
    root2.fork("y").next();
    const x2 = root2.fork("x");
    expect([x2.next(), x2.next()]).toEqual(seq);
  });

  it("gives distinct streams to distinct (seed, label) pairs", () => {
    const first = (seed: number, label: string | number) => createRng(seed).fork(label).next();
    expect(first(0, 1)).not.toBe(first(1, 0));
    expect(first(0, "ask-1")).not.toBe(first(1, "ask-0"));
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) for (let t = 0; t < 50; t++) seen.add(first(seed, t));
    expect(seen.size).toBe(2500);
  });

  it("draws uniformly enough and in range", () => {
    const r = createRng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(0, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const normals = Array.from({ length: 20_000 }, () => r.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expect(r.sample([1, 2, 3, 4, 5], 3)).toHaveLength(3);
    expect(new Set(r.sample([1, 2, 3, 4, 5], 5)).size).toBe(5);
    expect(r.weightedIndex([0, 0, 1])).toBe(2);
  });
});
