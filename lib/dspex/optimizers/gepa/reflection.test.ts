import { describe, expect, it } from "vitest";
import { evaluate } from "../../evaluate";
import { ChainOfThought, Predict, defineProgram } from "../../modules";
import { createRng } from "../../random";
import { byFields, FakeLM } from "../../testing";
import { formatRecords, reflectiveRecords, synthesizeFeedback, type EvaluatedExample } from "./index";

const example = { inputs: { question: "2+2?" }, outputs: { answer: "4" } };

describe("GEPA reflective dataset", () => {
  it("synthesizes feedback from the expected outputs, the prediction and the score when the metric gives none", () => {
    expect(synthesizeFeedback(example, { answer: "5" }, 0, 1)).toBe('Score: 0 (best possible: 1). This falls short of the expected outputs. Expected: answer = "4". Produced: answer = "5".');
    expect(synthesizeFeedback(example, { answer: "4" }, 1, 1)).toMatch(/This is fully correct/);
    expect(synthesizeFeedback(example, undefined, 0, 1, "LM timed out")).toBe('The program failed on this example: LM timed out. Score: 0. The expected outputs were: answer = "4".');
  });

  it("gives each step its own inputs and outputs from the trace, with the metric's feedback when there is one", async () => {
    const program = defineProgram({
      name: "TwoSteps",
      modules: { draft: new Predict("question -> draft"), answer: new ChainOfThought("draft -> answer") },
      forward: async (inputs: { question: string }, m, ctx) => m.answer.run({ draft: (await m.draft.run(inputs, ctx)).draft as string }, ctx),
    });
    const lm = new FakeLM(byFields((inputs, outputs) => (outputs.includes("draft") ? { draft: `draft of ${inputs.question}` } : { reasoning: "add", answer: "4" })));
    const report = await evaluate(program, [example, example], () => ({ score: 1, feedback: "Right, and nicely short." }), { lm });
    const evaluated: EvaluatedExample[] = report.results.map((r, i) => ({ example: r.example, outputs: r.outputs, trace: r.trace, score: r.score, feedback: i === 0 ? r.feedback! : null }));
    const first = reflectiveRecords(program, "draft", evaluated, 1, createRng(1));
    expect(first[0]).toEqual({ inputs: { question: "2+2?" }, outputs: { draft: "draft of 2+2?" }, feedback: "Right, and nicely short." });
    expect(first[1]!.feedback).toMatch(/^Score: 1 \(best possible: 1\)\. This is fully correct/);
    const second = reflectiveRecords(program, "answer", evaluated, 1, createRng(1));
    expect(second[0]).toMatchObject({ inputs: { draft: "draft of 2+2?" }, outputs: { reasoning: "add", answer: "4" } });
  });

  it("shows a failed run's error as the step's output", async () => {
    const program = new Predict("question -> answer");
    const lm = new FakeLM([new Error("provider down")]);
    const report = await evaluate(program, [example], () => 1, { lm });
    const r = report.results[0]!;
    const records = reflectiveRecords(program, "", [{ example, outputs: r.outputs, trace: r.trace, score: 0, feedback: r.error ?? null }], 1, createRng(1));
    expect(records).toHaveLength(1);
    expect(String(records[0]!.outputs.error)).toMatch(/provider down/);
    expect(records[0]!.feedback).toMatch(/^The program failed on this example: .*provider down/);
  });

  it("formats records as markdown sections the reflection model reads", () => {
    const text = formatRecords([{ inputs: { question: "2+2?" }, outputs: { answer: "5" }, feedback: "Off by one." }]);
    expect(text).toBe("# Example 1\n\n## Inputs\n\n### question\n2+2?\n\n## Generated outputs\n\n### answer\n5\n\n## Feedback\n\nOff by one.");
  });
});
