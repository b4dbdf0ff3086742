import { describe, expect, it } from "vitest";
import { Predict } from "../../modules";
import { discoverSpace } from "../../variables";
import { memoryCheckpointStore, runOptimization, type OptimizationEvent } from "../index";
import { BootstrapFewShotWithRandomSearch } from "./index";
import { items, tracedDemos, tracedTaskLM, unmarked } from "./test-fixture";

// Validation item 100 + j is right when the prompt shows more than j bootstrapped traces: the
// more traces, the better the candidate.
const tracedLM = () => tracedTaskLM((v) => v.number - 100 < tracedDemos(v));

const setup = (seed = 1) => ({
  program: new Predict("question -> answer"),
  trainset: items(12),
  valset: items(4, 100),
  metric: unmarked,
  seed,
});

describe("BootstrapFewShotWithRandomSearch", () => {
  it("builds zero-shot, labeled, bootstrapped and shuffled bootstraps, races them on validation and validates only the finalist", async () => {
    const lm = tracedLM();
    const report = await runOptimization({ ...setup(), valset: items(9, 100), optimizer: new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: 4, maxBootstrappedDemos: 4, maxLabeledDemos: 4 }), lm });
    const raced = report.trials.filter((t) => t.meta?.role === "race" || t.meta?.role === "race-final");
    // Zero-shot is the program as it is: the baseline, not raced again. Six candidates start.
    expect(raced.filter((t) => t.meta!.rung === 0)).toHaveLength(6);
    const finals = report.trials.filter((t) => t.evaluation === "full" && t.meta?.role !== "baseline");
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({ state: "complete", meta: { role: "race-final", finalist: true } });
    // Growing prefixes reuse the scores already earned: no example is paid twice for a candidate.
    for (const t of raced.filter((x) => x.meta!.rung !== 0)) expect((t.meta!.reusedExamples as number[]).length).toBeGreaterThan(0);
    expect(report.bestScore).toBe(Math.max(report.baselineScore, finals[0]!.score!));
    expect(report.bestScore).toBeGreaterThan(report.baselineScore);
    // Shuffled bootstraps sample the teacher: temperature 1.0 and a rollout id per candidate.
    const sampled = lm.requests.filter((r) => r.rolloutId !== undefined);
    expect(sampled.every((r) => r.temperature === 1)).toBe(true);
    expect(new Set(sampled.map((r) => r.rolloutId))).toEqual(new Set([0, 1, 2, 3].map((i) => `bootstrap-random-search:bootstrapped-shuffled-${i}:round-0`)));
    expect(lm.requests.filter((r) => r.rolloutId === undefined && r.temperature === 1)).toHaveLength(0);
    expect(report.spend.lmCalls).toBeLessThanOrEqual(report.estimate.lmCalls);
  });

  it("stops at stopAtScore and changes only demo variables", async () => {
    const program = new Predict("question -> answer", { instructions: "Answer." });
    const space = discoverSpace(program).select((v) => v.kind === "demos");
    const report = await runOptimization({ ...setup(), program, space, optimizer: new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: 6, stopAtScore: 0.5 }), lm: tracedLM() });
    const candidates = report.trials.filter((t) => t.meta?.role === "candidate");
    expect(candidates.at(-1)!.score).toBeGreaterThanOrEqual(0.5);
    expect(candidates.slice(0, -1).every((t) => t.score! < 0.5)).toBe(true);
    expect(candidates.length).toBeLessThan(8);
    expect(report.trials.every((t) => t.config.instructions === "Answer." && t.config.temperature === 0.7)).toBe(true);
    expect((report.program as Predict).settings.temperature).toBeUndefined();
  });

  it("respects the budget and resumes to the same result", async () => {
    const optimizer = () => new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: 3, maxLabeledDemos: 4 });
    const budgeted = await runOptimization({ ...setup(2), optimizer: optimizer(), lm: tracedLM(), budget: { lmCalls: 20 }, concurrency: 1 });
    expect(budgeted.stopReason).toBe("budget");
    expect(budgeted.spend.lmCalls).toBeLessThanOrEqual(20);

    const uninterrupted = await runOptimization({ ...setup(2), optimizer: optimizer(), lm: tracedLM() });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let completed = 0;
    await runOptimization({
      ...setup(2),
      optimizer: optimizer(),
      lm: tracedLM(),
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e: OptimizationEvent) => {
        if (e.type === "trial:complete" && ++completed === 5) controller.abort();
      },
    });
    let replayed = 0;
    const resumed = await runOptimization({ ...setup(2), optimizer: optimizer(), lm: tracedLM(), checkpoint: store, onEvent: (e) => void (e.type === "trial:complete" && e.replayed && replayed++) });
    expect(replayed).toBeGreaterThanOrEqual(4);
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.trials.map((t) => [t.meta?.candidate, t.score])).toEqual(uninterrupted.trials.map((t) => [t.meta?.candidate, t.score]));
  });

  it("rejects bad options", () => {
    expect(() => new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: -2 })).toThrow('BootstrapFewShotWithRandomSearch: option "numCandidatePrograms" must be a whole number >= 0 (default 16) (got -2)');
    expect(() => new BootstrapFewShotWithRandomSearch({ stopAtScore: "high" } as never)).toThrow(/option "stopAtScore" must be a number/);
  });
});
