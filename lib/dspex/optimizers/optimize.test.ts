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
  it("holds out a validation set, estimates the cost, and returns a better program with its report", async () => {
    const events: string[] = [];
    const result = await optimize(classifyTask.makeProgram(), [...classifyTask.dataset.train, ...classifyTask.dataset.validation], {
      metric: classifyTask.metric,
      lm: createDemoLM({ seed: 2 }),
      seed: 4,
      onEvent: (e) => events.push(e.type),
    });
    expect(result.chosen.optimizer).toBe("mipro-v2");
    expect(result.split).toEqual({ train: 16, val: 64 });
    expect(result.estimate.lmCalls).toBeGreaterThanOrEqual(result.spend.lmCalls);
    expect(result.estimate.usd).toBeGreaterThan(0);
    expect(result.bestScore).toBeGreaterThan(result.baselineScore);
    expect(result.paretoFront.length).toBeGreaterThan(0);
    expect(events[0]).toBe("start");
    expect(events.at(-1)).toBe("stop");
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
