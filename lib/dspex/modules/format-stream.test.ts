import { describe, expect, it } from "vitest";
import { z } from "zod";
import { byFields, FakeLM, inputsOf } from "../testing/fake-lm";
import { BestOfN, ChainOfThought, defineProgram, defineTool, MultiChainComparison, Predict, ReAct, Refine, type Module, type ModuleStreamEvent } from "./index";
import type { Values } from "../signatures/types";

const add = defineTool({
  name: "add",
  description: "Adds two numbers.",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.number(),
  run: ({ a, b }) => a + b,
});

/** Answers every predictor: one tool call for ReAct, then finish; "42" elsewhere. */
const lmFor = () =>
  new FakeLM(
    byFields((inputs, outputs) => {
      if (outputs.includes("next_tool_name")) {
        const called = (inputs.trajectory ?? "").includes("Observation 1");
        return called ? { next_thought: "done", next_tool_name: "finish", next_tool_args: {} } : { next_thought: "add them", next_tool_name: "add", next_tool_args: { a: 40, b: 2 } };
      }
      return Object.fromEntries(outputs.map((field) => [field, field === "answer" ? "42" : `the ${field}`]));
    }),
  );

async function collect<O extends Values>(generator: AsyncGenerator<ModuleStreamEvent<O>, O, undefined>) {
  const events: ModuleStreamEvent<O>[] = [];
  let next = await generator.next();
  while (!next.done) {
    events.push(next.value);
    next = await generator.next();
  }
  return { events, returned: next.value };
}

const modules: Array<[string, () => Module, number]> = [
  ["Predict", () => new Predict("question -> answer"), 1],
  ["ChainOfThought", () => new ChainOfThought("question -> answer"), 1],
  ["ReAct", () => new ReAct("question -> answer", { tools: [add] }), 3],
  ["BestOfN", () => new BestOfN(new Predict("question -> answer"), { n: 2, reward: () => 1, threshold: 1 }), 1],
  ["Refine", () => new Refine(new ChainOfThought("question -> answer"), { n: 2, reward: () => 1, threshold: 1 }), 1],
  ["MultiChainComparison", () => new MultiChainComparison("question -> answer", { m: 2 }), 3],
  [
    "defineProgram",
    () =>
      defineProgram({
        name: "twoSteps",
        modules: { draft: new ChainOfThought("question -> answer"), check: new Predict("question, draft -> answer") },
        async forward(inputs: { question: string }, { draft, check }, ctx) {
          const first = await draft.run(inputs, ctx);
          return check.run({ question: inputs.question, draft: first.answer }, ctx);
        },
      }),
    2,
  ],
];

describe("format() and stream() on every module", () => {
  for (const [name, make, calls] of modules) {
    it(`${name}: format() shows its first call's messages without calling the LM`, async () => {
      const lm = lmFor();
      const module = make();
      const formatted = await module.format({ question: "What is 40 + 2?" }, { lm });
      expect(lm.requests).toHaveLength(0);
      const last = formatted.messages.at(-1)!;
      expect(last.role).toBe("user");
      expect(last.content).toContain("What is 40 + 2?");
      // The same messages the module sends on its first call.
      await module.run({ question: "What is 40 + 2?" }, lm);
      expect(lm.requests[0]!.messages).toEqual(formatted.messages);
    });

    it(`${name}: stream() yields every call's fields with the predictor's path, then the outputs`, async () => {
      const lm = lmFor();
      const module = make();
      const { events, returned } = await collect(module.stream({ question: "What is 40 + 2?" }, lm));
      expect(lm.requests.length).toBeGreaterThanOrEqual(calls);
      const done = events.at(-1)!;
      expect(done.type).toBe("done");
      expect(done.type === "done" && done.outputs).toEqual(returned);
      expect(returned).toMatchObject({ answer: "42" });
      // The answer was streamed as a field before the end; each LM call's text arrived as fields.
      const fields = events.filter((e) => e.type === "field");
      expect(fields.some((e) => e.type === "field" && e.field === "answer" && e.text.includes("42"))).toBe(true);
      if (name !== "Predict") {
        expect(events.filter((e) => e.type === "step").length).toBe(lm.requests.length);
        expect(fields.every((e) => e.type === "field" && typeof e.path === "string")).toBe(true);
      }
    });
  }

  it("ReAct's stream names each step's predictor and the tool's observation reaches the next call", async () => {
    const lm = lmFor();
    const { events } = await collect(new ReAct("question -> answer", { tools: [add] }).stream({ question: "What is 40 + 2?" }, lm));
    const steps = events.filter((e) => e.type === "step").map((e) => (e.type === "step" ? e.path : ""));
    expect(steps).toEqual(["react", "react", "extract.predict"]);
    expect(inputsOf(lm.requests[1]!).trajectory).toContain("Observation 1: 42");
  });

  it("format() of a program that never calls a predictor says so", async () => {
    const program = defineProgram({
      name: "noCall",
      modules: { step: new Predict("question -> answer") },
      async forward() {
        return { answer: "fixed" };
      },
    });
    await expect(Promise.resolve(program.format({ question: "q" }, { lm: lmFor() }))).rejects.toThrow(/without calling a predictor/);
  });

  it("stream() passes a failure through after the events so far", async () => {
    const failing = new FakeLM(() => new Error("provider down"));
    await expect(collect(new ChainOfThought("question -> answer").stream({ question: "q" }, failing))).rejects.toThrow(/provider down/);
  });
});
