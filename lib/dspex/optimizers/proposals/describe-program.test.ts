import { describe, expect, it } from "vitest";
import { ChainOfThought, defineProgram, Predict } from "../../modules";
import { describeProgram, describeStep, formatValues } from "./index";

const pipeline = () =>
  defineProgram({
    name: "Pipeline",
    modules: { retrieve: new Predict("question -> query", { instructions: "Write a search query." }), answer: new ChainOfThought("question, query -> answer") },
    forward: async (inputs: { question: string }, m, ctx) => m.answer.run({ question: inputs.question, ...(await m.retrieve.run(inputs, ctx)) }, ctx),
  });

describe("program descriptions", () => {
  it("describes every step of the module tree with its signature and instructions", () => {
    const text = describeProgram(pipeline());
    expect(text).toContain("A language-model program (Pipeline) with 2 steps");
    expect(text).toContain('Step 1, step "retrieve" (Predict): question -> query');
    expect(text).toContain("Instructions: Write a search query.");
    expect(text).toContain('Step 2, step "answer" (ChainOfThought): question, query -> reasoning, answer');
    expect(text).toMatch(/ {2}answer: ChainOfThought\n {4}predict: Predict/);
  });

  it("describes one step and where it sits", () => {
    expect(describeStep(pipeline(), "answer")).toMatch(/^A ChainOfThought step that reads question, query and writes reasoning, answer\. It is step 2 of 2\./);
    expect(describeStep(new Predict("text -> label"), "")).toMatch(/It is the whole program\.\nInstructions: .*\nInputs:\n- text \(/);
    expect(describeStep(new Predict("text -> label"), "nope")).toBe('Unknown step "nope".');
  });

  it("formats values in field order, as JSON when not text, cut when long", () => {
    expect(formatValues({ b: 2, a: "x", c: undefined }, ["a", "b", "c"])).toBe("a: x\nb: 2");
    expect(formatValues({ list: [1, 2] })).toBe("list: [1,2]");
    expect(formatValues({ long: "y".repeat(700) }).length).toBeLessThan(620);
  });
});
