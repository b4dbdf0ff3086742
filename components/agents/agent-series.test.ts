import { describe, expect, it } from "vitest";
import { bucketMsFor, mailboxSeries, mergeSamples, throughputSeries, type AgentSample } from "./agent-series";

const labels = new Map([
  ["a", "coder"],
  ["b", "reviewer"],
]);
const s = (agentId: string, at: number, processed: number, mailboxDepth = 0): AgentSample => ({ agentId, at, processed, mailboxDepth });

describe("agent chart series", () => {
  it("merges samples in time order without duplicates", () => {
    const merged = mergeSamples([s("a", 2, 1)], [s("a", 1, 0), s("a", 2, 1), s("b", 3, 0)]);
    expect(merged.map((x) => [x.agentId, x.at])).toEqual([
      ["a", 1],
      ["a", 2],
      ["b", 3],
    ]);
  });

  it("carries each agent's last mailbox depth forward", () => {
    const points = mailboxSeries([s("a", 0, 0, 2), s("b", 10, 0, 1), s("a", 20, 1, 0)], labels);
    expect(points).toEqual([
      { t: 0, coder: 2 },
      { t: 10, coder: 2, reviewer: 1 },
      { t: 20, coder: 0, reviewer: 1 },
    ]);
  });

  it("turns processed counts into messages per second, with no spike for an agent first seen late", () => {
    expect(bucketMsFor(1000)).toBe(250);
    expect(bucketMsFor(100_000)).toBe(2500);
    // Agent a processes 4 messages per second for 2 s; b first appears with 100 already processed.
    const samples = [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000].map((at, k) => s("a", at, k));
    const { points, bucketMs } = throughputSeries([...samples, s("b", 1000, 100), s("b", 2000, 100)], labels);
    expect(bucketMs).toBe(250);
    expect(points.at(-1)!.coder).toBeCloseTo(4);
    expect(Math.max(...points.map((p) => p.reviewer ?? 0))).toBe(0);
    expect(throughputSeries([], labels).points).toEqual([]);
  });
});
