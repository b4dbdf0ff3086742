import { describe, expect, it } from "vitest";
import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { byFields, FakeLM } from "../testing/fake-lm";
import { TraceRecorder } from "../trace";
import { ChainOfThought, defineProgram, Module, namedPredictors, Predict, withPredictor } from "./index";

class Summarize extends Module<{ text: string }, { summary: string }> {
  readonly condense = new Predict("text -> summary");
  forward(inputs: { text: string }, ctx: RunContext) {
    return this.condense.run(inputs, ctx) as Promise<{ summary: string }>;
  }
}

class Pipeline extends Module<{ text: string }, { title: string }> {
  readonly summarize = new Summarize();
  readonly title = new ChainOfThought("summary -> title");
  async forward(inputs: { text: string }, ctx: RunContext) {
    const { summary } = await this.summarize.run(inputs, ctx);
    const { title } = await this.title.run({ summary }, ctx);
    return { title: String(title) };
  }
}

const echo = () => new FakeLM(byFields((inputs, outputs) => Object.fromEntries(outputs.map((o) => [o, `${o} of ${Object.values(inputs)[0]}`]))));

describe("programs", () => {
  it("nest, run, and expose their tree of named predictors", async () => {
    const program = new Pipeline();
    expect(namedPredictors(program).map(([p]) => p)).toEqual(["summarize.condense", "title.predict"]);
    expect(program.namedModules().map(([p, m]) => `${p}:${m.kind}`)).toEqual([
      "summarize:Summarize",
      "summarize.condense:Predict",
      "title:ChainOfThought",
      "title.predict:Predict",
    ]);
    expect(await program.run({ text: "doc" }, echo())).toEqual({ title: "title of summary of doc" });
  });

  it("change a parameter by path and get a new program; the original is untouched", async () => {
    const program = new Pipeline();
    const tuned = withPredictor(program, "title.predict", { instructions: "Write a catchy title.", settings: { temperature: 0.2 } });
    expect(tuned).not.toBe(program);
    expect(tuned).toBeInstanceOf(Pipeline);
    expect((tuned.get("title.predict") as Predict).instructions).toBe("Write a catchy title.");
    expect((program.get("title.predict") as Predict).params.instructions).toBeUndefined();
    // Untouched branches are shared, not copied.
    expect(tuned.summarize).toBe(program.summarize);

    const lm = echo();
    await tuned.run({ text: "doc" }, lm);
    expect(lm.requests[1]!.messages[0]!.content).toContain("Write a catchy title.");
    expect(lm.requests[1]!.temperature).toBe(0.2);
    expect(lm.requests[0]!.temperature).toBeUndefined();
  });

  it("names the known predictors when a path does not exist", () => {
    expect(() => withPredictor(new Pipeline(), "nope", {})).toThrow(DspexError);
    expect(() => withPredictor(new Pipeline(), "nope", {})).toThrow(/predictors: summarize\.condense, title\.predict/);
    expect(() => new Pipeline().replace("summarize.missing", new Predict("a -> b"))).toThrow(/no module at "summarize\.missing"/);
  });

  it("trace the whole tree: one span per module, nested by parent, with paths", async () => {
    const tracer = new TraceRecorder();
    await new Pipeline().run({ text: "doc" }, { lm: echo(), tracer });
    const byId = new Map(tracer.spans.map((s) => [s.id, s]));
    const rows = tracer.spans.map((s) => `${s.path || "(root)"} <- ${s.parentId ? byId.get(s.parentId)!.path || "(root)" : "-"} [${s.kind}]`);
    expect(rows).toEqual([
      "(root) <- - [program]",
      "summarize <- (root) [module]",
      "summarize.condense <- summarize [predict]",
      "title <- (root) [module]",
      "title.predict <- title [predict]",
    ]);
    expect(tracer.lmCalls.map((c) => byId.get(c.spanId!)!.path)).toEqual(["summarize.condense", "title.predict"]);
  });

  it("can be written as a function over named modules", async () => {
    const program = defineProgram({
      name: "TwoStep",
      signature: "text -> title",
      modules: { summarize: new Predict("text -> summary"), title: new Predict("summary -> title") },
      async forward(inputs: { text: string }, m, ctx) {
        const { summary } = await m.summarize.run(inputs, ctx);
        return (await m.title.run({ summary }, ctx)) as { title: string };
      },
    });
    expect(program.kind).toBe("TwoStep");
    expect(program.signature?.toString()).toBe("text -> title");
    expect(namedPredictors(program).map(([p]) => p)).toEqual(["summarize", "title"]);
    expect(await program.run({ text: "doc" }, echo())).toEqual({ title: "title of summary of doc" });

    const swapped = program.replace("title", new Predict("summary -> title", { instructions: "Shout." }));
    const lm = echo();
    await swapped.run({ text: "doc" }, lm);
    expect(lm.requests[1]!.messages[0]!.content).toContain("Shout.");
    expect(swapped.kind).toBe("TwoStep");
  });

  it("converts between Predict and ChainOfThought keeping instructions, demos and settings", () => {
    const p = new Predict("question -> answer", { instructions: "Be exact.", demos: [{ question: "q", answer: "a" }], settings: { temperature: 0.4 } });
    const cot = ChainOfThought.fromPredict(p);
    expect(cot.signature.outputs.map((f) => f.name)).toEqual(["reasoning", "answer"]);
    expect(cot.predict.params).toMatchObject({ instructions: "Be exact.", settings: { temperature: 0.4 } });
    const back = cot.toPredict();
    expect(back.signature.outputs.map((f) => f.name)).toEqual(["answer"]);
    expect(back.params.demos).toEqual([{ question: "q", answer: "a" }]);
  });
});
