// A text input declared a variable in a signature (`t.variable(t.string(), ...)`) is searched like
// an instruction: the prompt optimizers propose new values for it, told what the text is.
import { describe, expect, it } from "vitest";
import type { LMRequest } from "../lm/types";
import { Predict } from "../modules";
import { defineSignature, t } from "../signatures";
import { byFields, FakeLM, inputsOf } from "../testing";
import { discoverSpace } from "../variables";
import { exact, items } from "./bootstrap/test-fixture";
import { Gepa, MIPROv2, runOptimization } from "./index";

const signature = defineSignature({
  instructions: "Answer.",
  inputs: { question: t.string(), style_guide: t.variable(t.string(), { default: "Be brief." }).describe("House rules for answers") },
  outputs: { answer: t.string() },
});

/** Right only when the style guide says UPPERCASE. */
const taskLM = () =>
  new FakeLM(
    byFields((inputs) => {
      const q = inputs.question ?? "";
      return { answer: (inputs.style_guide ?? "").includes("UPPERCASE") ? q.toUpperCase() : q };
    }),
  );

/** The prompt model writes a style guide that works only when told it is writing the style guide. */
const promptLM = () =>
  new FakeLM(
    byFields((inputs, outputs, request: LMRequest) => {
      const told = JSON.stringify(inputsOf(request)).includes("style_guide");
      return Object.fromEntries(outputs.map((o) => [o, /instruction/.test(o) ? (told ? "Write answers in UPPERCASE." : "Answer well.") : `${o} text`]));
    }),
  );

describe("text variables declared in a signature", () => {
  const program = new Predict(signature);
  const space = discoverSpace(program).select(["style_guide"]);

  it("are found as text variables of the step", () => {
    expect(space.require("style_guide")).toMatchObject({ kind: "text", default: "Be brief.", target: { kind: "field", step: "", field: "style_guide" } });
  });

  it("GEPA rewrites them from feedback, told which input the text is", async () => {
    const prompts = promptLM();
    const report = await runOptimization({ optimizer: new Gepa({ maxFullEvals: 4 }), program, space, trainset: items(6), valset: items(4, 100), metric: exact, lm: taskLM(), promptLM: prompts, seed: 1 });
    expect(report.baselineScore).toBe(0);
    expect(report.config.style_guide).toBe("Write answers in UPPERCASE.");
    expect(report.bestScore).toBe(1);
    expect(inputsOf(prompts.requests[0]!).examples_with_feedback).toMatch(/^The text to improve is not the step's instruction: it is the value of the step's input `style_guide` \(House rules for answers\)/);
  });

  it("MIPROv2 proposes candidates for them and searches them with the rest", async () => {
    const report = await runOptimization({ optimizer: new MIPROv2({ numTrials: 6, maxBootstrappedDemos: 0, maxLabeledDemos: 0 }), program, space, trainset: items(6), valset: items(4, 100), metric: exact, lm: taskLM(), promptLM: promptLM(), seed: 2 });
    expect(report.config.style_guide).toBe("Write answers in UPPERCASE.");
    expect(report.bestScore).toBe(1);
  });
});
