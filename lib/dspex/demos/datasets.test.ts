import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARITHMETIC_SEED, DEMO_TASKS, arithmeticDatasetText, arithmeticTask, classifyTask, demoTask, generateArithmeticDataset, qaTask } from "./index";

describe("bundled demo datasets", () => {
  it("lists three tasks, each found by name, with the documented split sizes", () => {
    expect(DEMO_TASKS.map((task) => task.name)).toEqual(["qa", "classify", "arithmetic"]);
    expect(demoTask("classify")).toBe(classifyTask);
    expect(demoTask("nope")).toBeUndefined();
    const sizes = Object.fromEntries(DEMO_TASKS.map((task) => [task.name, [task.dataset.train.length, task.dataset.validation.length]]));
    expect(sizes).toEqual({ qa: [36, 24], classify: [48, 32], arithmetic: [60, 40] });
  });

  it("gives every example inputs and outputs that match its task's signature", () => {
    for (const task of DEMO_TASKS) {
      for (const ex of [...task.dataset.train, ...task.dataset.validation]) {
        expect(task.signature.validateInputs(ex.inputs)).toEqual(ex.inputs);
        expect(task.signature.validateOutputs(ex.outputs)).toEqual(ex.outputs);
      }
      const ids = [...task.dataset.train, ...task.dataset.validation].map((ex) => ex.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("QA answers are spans of their context", () => {
    for (const ex of [...qaTask.dataset.train, ...qaTask.dataset.validation]) expect(ex.inputs.context).toContain(ex.outputs.answer);
  });

  it("covers every ticket category in both splits", () => {
    for (const split of [classifyTask.dataset.train, classifyTask.dataset.validation]) {
      expect(new Set(split.map((ex) => ex.outputs.category))).toEqual(new Set(["billing", "bug", "feature_request", "account_access", "other"]));
    }
  });

  it("regenerates the committed arithmetic file byte for byte from its seed", () => {
    const committed = readFileSync(new URL("./arithmetic/dataset.json", import.meta.url), "utf8");
    expect(arithmeticDatasetText()).toBe(committed);
    expect(arithmeticDatasetText(ARITHMETIC_SEED + 1)).not.toBe(committed);
  });

  it("generates 1- to 4-step problems with whole-number answers, steps balanced across the splits", () => {
    const file = generateArithmeticDataset();
    const sentences = (text: string) => text.split(/(?<=[.?])\s+/).length - 2;
    const steps = file.examples.map((ex) => sentences(String(ex.inputs.problem)));
    expect(new Set(steps)).toEqual(new Set([1, 2, 3, 4]));
    for (const split of ["train", "validation"]) {
      const counts = [1, 2, 3, 4].map((s) => file.examples.filter((ex, i) => ex.split === split && steps[i] === s).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    for (const ex of file.examples) expect(Number.isInteger(ex.outputs.answer) && (ex.outputs.answer as number) > 0).toBe(true);
  });
});

describe("metrics", () => {
  it("arithmetic: numeric equality within 1e-6, numbers in text read too", () => {
    const ex = arithmeticTask.dataset.validation[0]!;
    expect(arithmeticTask.metric(ex, { answer: ex.outputs.answer })).toBe(1);
    expect(arithmeticTask.metric(ex, { answer: `${ex.outputs.answer}` })).toBe(1);
    expect(arithmeticTask.metric(ex, { answer: ex.outputs.answer + 1e-9 })).toBe(1);
    expect(arithmeticTask.metric(ex, { answer: ex.outputs.answer + 1 })).toBe(0);
    expect(arithmeticTask.metric(ex, {})).toBe(0);
  });

  it("qa: token F1 on normalised answers", () => {
    const ex = { inputs: { context: "c", question: "q" }, outputs: { answer: "a live dashboard built with Next.js" } };
    expect(qaTask.metric(ex, { answer: "Live dashboard built with next.js!" })).toBe(1);
    expect(qaTask.metric(ex, { answer: "dashboard" })).toBeCloseTo((2 * 1 * (1 / 6)) / (1 + 1 / 6), 10);
    expect(qaTask.metric(ex, { answer: "PGlite" })).toBe(0);
  });

  it("classify: exact label match", () => {
    const ex = { inputs: { ticket: "t" }, outputs: { category: "bug" } };
    expect(classifyTask.metric(ex, { category: "bug" })).toBe(1);
    expect(classifyTask.metric(ex, { category: "billing" })).toBe(0);
  });
});
