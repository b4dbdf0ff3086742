import { describe, expect, it } from "vitest";
import { axisPosition, mergeTrials, parallelAxes, parameterImportance, paretoFront, scoreSeries, type TrialPoint } from "./trial-math";

const trial = (number: number, score: number | null, config: Record<string, unknown>, extra: Partial<TrialPoint> = {}): TrialPoint => ({
  number,
  status: "complete",
  evaluation: "full",
  score,
  costUsd: number / 100,
  lmCalls: 10,
  latencyMs: 100,
  config,
  ...extra,
});

describe("trial math", () => {
  it("merges live trials by number, replacing replayed ones", () => {
    const merged = mergeTrials([trial(2, 0.5, {}), trial(0, 0.1, {})], [trial(1, 0.2, {}), trial(2, 0.6, {})]);
    expect(merged.map((t) => [t.number, t.score])).toEqual([[0, 0.1], [1, 0.2], [2, 0.6]]);
  });

  it("draws the best-so-far line from full evaluations only, skipping unscored trials", () => {
    const series = scoreSeries([trial(0, 0.5, {}), trial(1, 0.9, {}, { evaluation: "minibatch" }), trial(2, null, {}, { status: "failed" }), trial(3, 0.7, {}), trial(4, 0.6, {})]);
    expect(series.map((p) => [p.number, p.best])).toEqual([[0, 0.5], [1, 0.5], [3, 0.7], [4, 0.7]]);
    expect(scoreSeries([trial(0, 0.3, {}, { evaluation: "minibatch" }), trial(1, 0.4, {}, { evaluation: "minibatch" })]).map((p) => p.best)).toEqual([0.3, 0.4]);
  });

  it("keeps the cost-vs-quality Pareto front", () => {
    const front = paretoFront([
      { id: "a", score: 0.5, costUsd: 1 },
      { id: "b", score: 0.7, costUsd: 2 },
      { id: "c", score: 0.6, costUsd: 3 },
      { id: "d", score: 0.4, costUsd: 0.5 },
    ]);
    expect(front.map((p) => p.id)).toEqual(["d", "a", "b"]);
  });

  it("builds numeric and categorical axes, dropping variables that never change", () => {
    const trials = [trial(0, 0.5, { temperature: 0, module: "predict", k: 1 }), trial(1, 0.6, { temperature: 1, module: "cot", k: 1 }), trial(2, 0.6, { temperature: 0.5, module: "predict", k: 1 })];
    const axes = parallelAxes(trials);
    expect(axes).toEqual([
      { kind: "categorical", name: "module", keys: ['"predict"', '"cot"'], labels: ["predict", "cot"] },
      { kind: "numeric", name: "temperature", min: 0, max: 1 },
    ]);
    expect(axisPosition(axes[0]!, "cot")).toBe(1);
    expect(axisPosition(axes[1]!, 0.5)).toBe(0.5);
  });

  it("estimates importance as the share of score variance explained by each variable", () => {
    const trials = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => trial(i, i % 2 === 0 ? 0.9 : 0.1, { module: i % 2 === 0 ? "cot" : "predict", temperature: [0.1, 0.2, 0.3, 0.4][i % 4] ?? 0 }));
    const [top, next] = parameterImportance(trials);
    expect(top).toEqual({ name: "module", importance: 1 });
    expect(next!.name).toBe("temperature");
    expect(parameterImportance(trials.slice(0, 2))).toEqual([]);
  });
});
