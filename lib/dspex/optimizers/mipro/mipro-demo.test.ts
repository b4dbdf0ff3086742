// MIPROv2 on the bundled demo tasks with the offline demo model (whose accuracy depends on
// instructions, demos and temperature): the search must find what helps, prompts and numbers
// together. These check that the algorithm works end to end, not the demo model's numbers.
import { describe, expect, it } from "vitest";
import { createDemoLM } from "../../demo-lm";
import { arithmeticTask, classifyTask } from "../../demos";
import { discoverSpace } from "../../variables";
import { runOptimization } from "../index";
import { MIPROv2 } from "./index";

describe("MIPROv2 on the demo tasks", () => {
  it("improves the arithmetic program clearly over its baseline by tuning instructions and demos", async () => {
    const program = arithmeticTask.makeProgram({ module: "predict" });
    const space = discoverSpace(program, { temperature: false });
    const report = await runOptimization({
      optimizer: new MIPROv2({ auto: "light" }),
      program,
      space,
      trainset: arithmeticTask.dataset.train,
      valset: arithmeticTask.dataset.validation,
      metric: arithmeticTask.metric,
      lm: createDemoLM({ seed: 3 }),
      seed: 3,
    });
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore + 0.15);
    expect(report.config.instructions !== space.defaults().instructions || (report.config.demos as unknown[]).length > 0).toBe(true);
    expect(report.spend.lmCalls).toBeLessThanOrEqual(report.estimate.lmCalls);
  }, 30_000);

  it("tunes temperature in the same search: from a bad 1.4 to a low one, beating the prompt-only search", async () => {
    const program = classifyTask.makeProgram({ module: "predict", settings: { temperature: 1.4 } });
    const run = (joint: boolean) =>
      runOptimization({
        optimizer: new MIPROv2({ auto: "light" }),
        program,
        space: discoverSpace(program).select((v) => v.kind === "demos" || v.kind === "text" || (joint && v.name === "temperature")),
        trainset: classifyTask.dataset.train,
        valset: classifyTask.dataset.validation,
        metric: classifyTask.metric,
        lm: createDemoLM({ seed: 1 }),
        seed: 1,
      });
    const [promptOnly, joint] = [await run(false), await run(true)];
    expect(promptOnly.config.temperature).toBe(1.4);
    expect(joint.config.temperature as number).toBeLessThan(0.7);
    const tried = new Set(joint.trials.filter((t) => t.meta?.role === "mipro-full").map((t) => t.config.temperature));
    expect(tried.size).toBeGreaterThan(5);
    expect(joint.bestScore).toBeGreaterThanOrEqual(promptOnly.bestScore + 0.2);
    expect(joint.bestScore).toBeGreaterThanOrEqual(joint.baselineScore + 0.3);
  }, 30_000);
});
