import { describe, expect, it } from "vitest";
import { createDemoLM } from "../demo-lm";
import { arithmeticTask, classifyTask } from "../demos";
import { Predict } from "../modules";
import { discoverSpace } from "../variables";
import { chooseOptimizer, optimize } from "./index";

describe("optimize: choosing an optimizer", () => {
  const program = classifyTask.makeProgram();
  const full = discoverSpace(program);
  it("picks by the kinds of variables searched and the amount of data", () => {
    expect(chooseOptimizer("auto", full.select((v) => v.kind === "float"), 100, undefined).optimizer.name).toBe("search:tpe");
    expect(chooseOptimizer("auto", full.select((v) => v.kind === "demos"), 8, undefined).optimizer.name).toBe("labeled-few-shot");
    expect(chooseOptimizer("auto", full.select((v) => v.kind === "demos"), 30, undefined).optimizer.name).toBe("bootstrap-few-shot");
    expect(chooseOptimizer("auto", full, 80, undefined).optimizer.name).toBe("mipro-v2");
    // A prompt optimizer that does not search numbers itself is joined by TPE for them.
    const joined = chooseOptimizer("gepa", full, 80, undefined);
    expect(joined.optimizer.name).toBe("gepa+search:tpe");
    expect(joined.reason).toMatch(/TPE tunes the other variables \(temperature\)/);
  });

  it("refuses bad options with a message naming the option", async () => {
    const data = classifyTask.dataset.train;
    await expect(optimize(program, data, { optimizer: "best" as never })).rejects.toThrow(/optimize: option "optimizer" must be one of auto, labeled-few-shot, .*random, or an Optimizer/);
    await expect(optimize(program, data, { valFraction: 1.5 })).rejects.toThrow(/optimize: option "valFraction"/);
    await expect(optimize(program, [])).rejects.toThrow("optimize: give at least one training example");
    await expect(optimize(program, data, { search: ["nope"] })).rejects.toThrow(/no variable "nope" in the space/);
  });
});

describe("optimize end to end", () => {
  it("holds out a validation set, shows its plan before the first call, and returns a better program with its report", async () => {
    const events: string[] = [];
    const lm = createDemoLM({ seed: 2 });
    let callsAtStart = -1;
    let calls = 0;
    const counted = { ...lm, provider: lm.provider, complete: (r: Parameters<typeof lm.complete>[0]) => (calls++, lm.complete(r)) };
    const result = await optimize(classifyTask.makeProgram(), [...classifyTask.dataset.train, ...classifyTask.dataset.validation], {
      metric: classifyTask.metric,
      lm: counted,
      seed: 4,
      budget: { lmCalls: 150 },
      onEvent: (e) => {
        events.push(e.type);
        if (e.type === "start") {
          callsAtStart = calls;
          expect(e.estimate.plan?.steps.map((s) => s.lmCalls).reduce((a, b) => a + b, 0)).toBe(e.estimate.lmCalls);
        }
      },
    });
    expect(callsAtStart).toBe(0);
    expect(result.plan.budgetCalls).toBe(150);
    expect(result.plan.lmCalls).toBeLessThanOrEqual(150);
    expect(result.spend.lmCalls).toBeLessThanOrEqual(150);
    expect(result.split.train + result.split.val).toBe(80);
    expect(result.bestScore).toBeGreaterThan(result.baselineScore);
    expect(result.paretoFront.length).toBeGreaterThan(0);
    expect(events[0]).toBe("start");
    expect(events.at(-1)).toBe("stop");
  });

  it("refuses, before any call, a budget that cannot pay for a baseline, a search and a validation", async () => {
    const lm = createDemoLM({ seed: 2 });
    let calls = 0;
    const counted = { ...lm, provider: lm.provider, complete: (r: Parameters<typeof lm.complete>[0]) => (calls++, lm.complete(r)) };
    await expect(optimize(classifyTask.makeProgram(), classifyTask.dataset.train, { valset: classifyTask.dataset.validation, metric: classifyTask.metric, lm: counted, budget: { lmCalls: 10 } })).rejects.toThrow(
      /optimize: a budget of 10 LM calls cannot pay for scoring the program before and after/,
    );
    expect(calls).toBe(0);
  });

  it("bootstraps with the strongest offered model as the teacher, and keeps settings the user left unset", async () => {
    const lm = createDemoLM({ seed: 5 });
    const models: (string | undefined)[] = [];
    const watched = { ...lm, provider: lm.provider, complete: (r: Parameters<typeof lm.complete>[0]) => (models.push(r.model), lm.complete(r)) };
    const program = classifyTask.makeProgram();
    const result = await optimize(program, classifyTask.dataset.train, {
      valset: classifyTask.dataset.validation.slice(0, 12),
      metric: classifyTask.metric,
      lm: watched,
      optimizer: "bootstrap-few-shot",
      variables: { models: ["dspex-demo-mini", "dspex-demo-large"], temperature: false },
      search: ["demos"],
      budget: { lmCalls: 60 },
      seed: 1,
    });
    expect(result.plan.parameters.teacher).toBe("dspex-demo-large");
    const teacherCalls = result.trials.filter((t) => t.meta?.role === "bootstrap");
    expect(teacherCalls.length).toBeGreaterThan(0);
    expect(models.filter((m) => m === "dspex-demo-large").length).toBe(teacherCalls.reduce((s, t) => s + t.lmCalls, 0));
    expect((result.program as unknown as { settings: { temperature?: number; model?: string } }).settings).toEqual({});
  });

  it("swaps Predict for ChainOfThought and picks the stronger of two models on the arithmetic demo", async () => {
    const program = new Predict(arithmeticTask.signature, { settings: { model: "dspex-demo-mini", temperature: 0.2 } });
    const result = await optimize(program, arithmeticTask.dataset.train, {
      valset: arithmeticTask.dataset.validation,
      metric: arithmeticTask.metric,
      lm: createDemoLM({ seed: 3 }),
      optimizer: "tpe",
      variables: { moduleSelection: true, models: ["dspex-demo-mini", "dspex-demo-large"] },
      search: ["module", "model"],
      seed: 1,
    });
    expect(result.config).toMatchObject({ module: "chain-of-thought", model: "dspex-demo-large" });
    expect(result.program.kind).toBe("ChainOfThought");
    expect(result.bestScore - result.baselineScore).toBeGreaterThan(0.2);
    // The winning program runs as configured: ChainOfThought on the large model.
    const lm = createDemoLM({ seed: 3 });
    const requests: string[] = [];
    await result.program.run(arithmeticTask.dataset.validation[0]!.inputs, {
      lm: { ...lm, provider: lm.provider, complete: (r) => (requests.push(String(r.model)), lm.complete(r)) },
    });
    expect(requests).toEqual(["dspex-demo-large"]);
  });
});
