import { describe, expect, it } from "vitest";
import { z } from "zod";
import { discoverSpace } from "../variables";
import { BestOfN, ChainOfThought, defineTool, MultiChainComparison, Predict, ReAct, Refine } from "./index";

const tool = defineTool({ name: "echo", description: "Echoes.", input: z.object({ text: z.string() }), run: ({ text }) => text });
const refused = (make: () => unknown) => {
  try {
    make();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error("no error was thrown");
};

describe("a misspelt option or setting is an error naming it and the nearest valid key", () => {
  it("predictor options and LM settings", () => {
    expect(refused(() => new Predict("q -> a", { instuctions: "x" } as never))).toEqual({
      code: "OPTION_INVALID",
      message: 'Predict: unknown option "instuctions"; did you mean "instructions"? (options: instructions, demos, settings, adapter, variables)',
    });
    expect(refused(() => new Predict("q -> a", { settings: { temprature: 0.2 } } as never)).message).toMatch(/^Predict: unknown setting "temprature"; did you mean "temperature"\?/);
    expect(refused(() => new ChainOfThought("q -> a", { settings: { max_tokens: 10 } } as never)).message).toMatch(/^ChainOfThought: unknown setting "max_tokens"; did you mean "maxTokens"\?/);
    expect(refused(() => new Predict("q -> a").with({ setings: {} } as never)).message).toMatch(/^Predict\.with: unknown option "setings"; did you mean "settings"\?/);
  });

  it("every module's own options", () => {
    expect(refused(() => new ReAct("q -> a", { tools: [tool], maxStep: 3 } as never)).message).toMatch(/^ReAct: unknown option "maxStep"; did you mean "maxSteps"\?/);
    expect(refused(() => new MultiChainComparison("q -> a", { n: 3 } as never)).message).toMatch(/^MultiChainComparison: unknown option "n"/);
    expect(refused(() => new BestOfN(new Predict("q -> a"), { n: 2, reward: () => 1, treshold: 1 } as never)).message).toMatch(/^BestOfN: unknown option "treshold"; did you mean "threshold"\?/);
    expect(refused(() => new Refine(new Predict("q -> a"), { n: 2, reward: () => 1, threshold: 1, temp: 1 } as never)).message).toMatch(/^Refine: unknown option "temp"; did you mean "temperature"\?/);
    // Valid options still build, with the module's own options kept out of its predictors.
    const react = new ReAct("q -> a", { tools: [tool], maxSteps: 2, instructions: "Use the tool." });
    expect(react.react.params.instructions).toBe("Use the tool.");
  });

  it("the variables a program offers and a served program's fields", () => {
    expect(refused(() => discoverSpace(new Predict("q -> a"), { model: ["m"] } as never)).message).toMatch(/^discoverSpace: unknown option "model"; did you mean "models"\?/);
  });
});
