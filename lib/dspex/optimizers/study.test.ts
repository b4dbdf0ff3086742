import { describe, expect, it } from "vitest";
import { createDemoLM } from "../demo-lm";
import { arithmeticTask } from "../demos";
import type { Sampler } from "../samplers/types";
import { discoverSpace } from "../variables";
import { memoryCheckpointStore, runOptimization, SamplerSearch, type OptimizationEvent } from "./index";

const randomSampler: Sampler = { name: "random", ask: ({ space, rng }) => space.sample(rng) };

function setup() {
  const program = arithmeticTask.makeProgram({ module: "predict" });
  const space = discoverSpace(program, { moduleSelection: true }).select((v) => v.name === "temperature" || v.name === "module");
  return { program, space, trainset: arithmeticTask.dataset.train.slice(0, 10), valset: arithmeticTask.dataset.validation.slice(0, 12), metric: arithmeticTask.metric };
}

describe("the trial protocol", () => {
  it("scores the baseline first, searches, and returns the best fully-scored configuration", async () => {
    const events: OptimizationEvent[] = [];
    const report = await runOptimization({
      ...setup(),
      optimizer: new SamplerSearch({ sampler: randomSampler, trials: 6 }),
      lm: createDemoLM({ seed: 1 }),
      seed: 3,
      onEvent: (e) => events.push(e),
    });
    expect(report.trials[0]!.meta).toEqual({ role: "baseline" });
    expect(report.trials).toHaveLength(7);
    expect(report.trials.every((t) => t.state === "complete" && t.evaluation === "full")).toBe(true);
    expect(report.bestScore).toBe(Math.max(...report.trials.map((t) => t.score!)));
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore);
    expect(events[0]).toMatchObject({ type: "start", optimizer: "search:random" });
    expect(events.filter((e) => e.type === "trial:complete")).toHaveLength(7);
    expect(events.at(-1)).toEqual({ type: "stop", reason: "completed" });
    expect(report.spend.lmCalls).toBe(7 * 12);
    // The returned program is the winning configuration applied.
    expect(report.program.kind).toBe(report.config.module === "chain-of-thought" ? "ChainOfThought" : "Predict");
  });

  it("resumes after a crash without repeating finished trials, ending where an uninterrupted run ends", async () => {
    const optimizer = () => new SamplerSearch({ sampler: randomSampler, trials: 8 });
    const uninterrupted = await runOptimization({ ...setup(), optimizer: optimizer(), lm: createDemoLM({ seed: 1 }), seed: 11 });

    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let completed = 0;
    // "Crash" after four trials: abort, keep the checkpoint, start a new run from it.
    await runOptimization({
      ...setup(),
      optimizer: optimizer(),
      lm: createDemoLM({ seed: 1 }),
      seed: 11,
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "trial:complete" && ++completed === 4) controller.abort();
      },
    });
    expect(store.current!.trials.length).toBeGreaterThanOrEqual(4);
    const finished = store.current!.trials.filter((t) => t.state === "complete").length;

    let replayed = 0;
    let ran = 0;
    const resumed = await runOptimization({
      ...setup(),
      optimizer: optimizer(),
      lm: createDemoLM({ seed: 1 }),
      seed: 11,
      checkpoint: store,
      onEvent: (e) => {
        if (e.type === "trial:complete") {
          if (e.replayed) replayed++;
          else ran++;
        }
      },
    });
    expect(replayed).toBeGreaterThanOrEqual(finished);
    expect(replayed + ran).toBe(resumed.trials.length);
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.bestScore).toBe(uninterrupted.bestScore);
    expect(resumed.trials.map((t) => t.score)).toEqual(uninterrupted.trials.map((t) => t.score));
  });

  it("stops cleanly at the LM-call budget, starting no evaluation it cannot finish", async () => {
    const report = await runOptimization({
      ...setup(),
      optimizer: new SamplerSearch({ sampler: randomSampler, trials: 50 }),
      lm: createDemoLM({ seed: 1 }),
      seed: 5,
      budget: { lmCalls: 40 },
      concurrency: 4,
    });
    expect(report.stopReason).toBe("budget");
    expect(report.spend.lmCalls).toBeLessThanOrEqual(40);
    // Baseline, one trial from the free calls, the last one from the final reserve; none cut short.
    expect(report.trials.map((t) => [t.state, t.evaluation])).toEqual(Array(3).fill(["complete", "full"]));
    expect(report.bestScore).toBeGreaterThan(0);
  });

  it("refuses a checkpoint written by another setup", async () => {
    const store = memoryCheckpointStore();
    await runOptimization({ ...setup(), optimizer: new SamplerSearch({ sampler: randomSampler, trials: 1 }), lm: createDemoLM(), seed: 1, checkpoint: store });
    await expect(
      runOptimization({ ...setup(), optimizer: new SamplerSearch({ sampler: randomSampler, trials: 1 }), lm: createDemoLM(), seed: 2, checkpoint: store }),
    ).rejects.toThrow(/Checkpoint: it was written by another setup/);
  });
});
