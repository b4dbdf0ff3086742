import { describe, expect, it } from "vitest";
import { ConfigInvalidError } from "../errors";
import { ChainOfThought, defineProgram, Module, Predict, namedPredictors } from "../modules";
import { createRng } from "../random";
import { defineSignature, t } from "../signatures";
import type { RunContext } from "../context";
import { atMost, discoverSpace, tunable, variable, VariableSpace, type Config } from "./index";

describe("variable kinds", () => {
  const rng = createRng(1);
  it("float: range, log scale and step are honoured by sampling, mutation and crossover", () => {
    const lr = variable.float("lr", { low: 1e-4, high: 1, log: true, default: 0.01 });
    const samples = Array.from({ length: 2000 }, () => lr.sample(rng));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...samples)).toBeLessThanOrEqual(1);
    // Log-uniform: about a quarter of the draws in each decade.
    expect(samples.filter((s) => s < 1e-3).length / samples.length).toBeCloseTo(0.25, 1);
    const temp = variable.float("t", { low: 0, high: 1.5, step: 0.1, default: 0.7 });
    for (let i = 0; i < 200; i++) {
      const v = temp.mutate(0.7, rng, 0.5);
      expect(Math.round(v * 10) / 10).toBe(v);
      expect(temp.schema.safeParse(temp.crossover(0.2, 1.2, rng)).success).toBe(true);
    }
    expect(temp.schema.safeParse(0.75).success).toBe(false);
    expect(() => variable.float("bad", { low: 0, high: 1, log: true })).toThrow(/log scale needs low > 0/);
    expect(() => variable.float("bad", { low: 0, high: 1, default: 2 })).toThrow(/default 2 is outside \[0, 1\]/);
  });

  it("int, choice, boolean and module validate and stay in their domain", () => {
    const k = variable.int("k", { low: 1, high: 8, default: 4 });
    expect(k.schema.safeParse(3.5).success).toBe(false);
    expect(new Set(Array.from({ length: 300 }, () => k.sample(rng)))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(k.mutate(4, rng, 0.01)).not.toBe(4);
    const model = variable.choice("model", { choices: ["a", "b", "c"], default: "b" });
    expect(model.schema.safeParse("d").success).toBe(false);
    expect(model.domain).toEqual({ type: "categorical", choices: ["a", "b", "c"] });
    expect(variable.boolean("x").default).toBe(false);
    expect(variable.module("m", { choices: ["predict", "chain-of-thought"] }).kind).toBe("module");
  });

  it("text and demo sets accept any value of their shape and choose among candidates", () => {
    const instr = variable.text("instructions", { default: "Answer.", candidates: ["Answer briefly.", "Answer step by step."] });
    expect(instr.schema.safeParse("anything at all").success).toBe(true);
    expect(instr.domain).toEqual({ type: "categorical", choices: ["Answer.", "Answer briefly.", "Answer step by step."] });
    const more = instr.with({ candidates: ["Be exact."] });
    expect(more.domain.type === "categorical" && more.domain.choices).toHaveLength(4);
    const pool = [{ q: "1", a: "one" }, { q: "2", a: "two" }, { q: "3", a: "three" }];
    const demos = variable.demos("demos", { pool, max: 2 });
    expect(demos.schema.safeParse([pool[0], pool[1], pool[2]]).success).toBe(false);
    let value = demos.default;
    for (let i = 0; i < 50; i++) {
      value = demos.mutate(value, rng, 1);
      expect(value.length).toBeLessThanOrEqual(2);
    }
  });
});

describe("VariableSpace", () => {
  const space = new VariableSpace(
    [
      variable.choice("model", { choices: ["small", "o3-mini"], default: "small" }),
      variable.choice("effort", { choices: ["low", "high"], default: "low", condition: { variable: "model", in: ["o3-mini"] } }),
      variable.int("k", { low: 0, high: 8, default: 2 }),
      variable.demos("demos", { pool: [{ a: 1 }, { a: 2 }, { a: 3 }], max: 3 }),
    ],
    [atMost("demos", "k")],
  );

  it("includes a conditional variable only when its parent allows it", () => {
    expect(space.defaults()).toEqual({ model: "small", k: 2, demos: [] });
    expect(space.complete({ model: "o3-mini" })).toEqual({ model: "o3-mini", effort: "low", k: 2, demos: [] });
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) {
      const c = space.sample(rng);
      expect("effort" in c).toBe(c.model === "o3-mini");
      expect((c.demos as unknown[]).length).toBeLessThanOrEqual(c.k as number);
    }
  });

  it("rejects an invalid configuration with every reason", () => {
    const result = space.validate({ model: "small", effort: "high", k: 9, temperature: 1 } as Config);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'unknown variable "temperature" (variables: model, effort, k, demos)',
      '"effort" only applies when "model" is "o3-mini" (it is "small")',
      '"k" must be at most 8 (got 9)',
    ]);
    const broken = space.validate({ k: 1, demos: [{ a: 1 }, { a: 2 }] });
    expect(!broken.ok && broken.errors).toEqual(["constraint broken: demos <= k"]);
  });

  it("fixes, selects and diffs", () => {
    const fixed = space.fix("k", 5);
    expect(fixed.get("k")!.fixed).toBe(true);
    expect(fixed.validate({ k: 6 }).ok).toBe(false);
    expect(space.select(["k"]).searchable().map((v) => v.name)).toEqual(["k"]);
    expect(space.diff({ model: "small", k: 2 }, { model: "o3-mini", k: 2, effort: "low" })).toEqual([
      { name: "model", before: "small", after: "o3-mini" },
      { name: "effort", before: undefined, after: "low" },
    ]);
    expect(() => new VariableSpace([variable.int("a", { low: 0, high: 1, condition: { variable: "ghost", in: [1] } })])).toThrow(/depends on "ghost"/);
  });
});

class Rag extends Module<{ question: string }, { answer: string }> {
  readonly topK = tunable.int({ low: 1, high: 10, default: 3 });
  readonly rewrite = new Predict("question -> query", { settings: { temperature: 0.2 } });
  readonly answer = new ChainOfThought("question, passages -> answer");
  async forward(inputs: { question: string }, ctx: RunContext) {
    const { query } = await this.rewrite.run(inputs, ctx);
    const passages = Array.from({ length: this.topK.value }, (_, i) => `${String(query)} #${i}`).join("\n");
    return (await this.answer.run({ ...inputs, passages }, ctx)) as unknown as { answer: string };
  }
}

describe("discovery and apply", () => {
  it("finds every step's instructions, demos, temperature, model, module, and declared tunables", () => {
    const space = discoverSpace(new Rag(), { models: ["gpt-4o-mini", "o3-mini"], moduleSelection: true });
    expect(space.names).toEqual([
      "rewrite.module",
      "rewrite.instructions",
      "rewrite.demos",
      "rewrite.temperature",
      "rewrite.model",
      "rewrite.reasoningEffort",
      "answer.module",
      "answer.instructions",
      "answer.demos",
      "answer.temperature",
      "answer.model",
      "answer.reasoningEffort",
      "topK",
    ]);
    expect(space.defaults()).toMatchObject({ "rewrite.temperature": 0.2, "answer.temperature": 0.7, "answer.module": "chain-of-thought", topK: 3 });
    expect(space.get("answer.reasoningEffort")!.condition).toEqual({ variable: "answer.model", in: ["o3-mini"] });
  });

  it("applies a configuration as a new immutable program, switching modules and keeping their parameters", () => {
    const program = new Rag();
    const space = discoverSpace(program, { models: ["m1", "m2"], moduleSelection: true });
    const tuned = space.apply(program, {
      "rewrite.module": "chain-of-thought",
      "rewrite.instructions": "Rewrite as a search query.",
      "answer.module": "predict",
      "answer.demos": [{ question: "q", passages: "p", answer: "a" }],
      "answer.model": "m2",
      "answer.temperature": 0.1,
      topK: 7,
    });
    expect(tuned).not.toBe(program);
    expect(program.topK.value).toBe(3);
    expect(tuned.topK.value).toBe(7);
    expect(tuned.rewrite).toBeInstanceOf(ChainOfThought);
    expect((tuned.rewrite as unknown as ChainOfThought).predict.instructions).toBe("Rewrite as a search query.");
    expect((tuned.rewrite as unknown as ChainOfThought).predict.settings.temperature).toBe(0.2);
    expect(tuned.answer).toBeInstanceOf(Predict);
    expect((tuned.answer as unknown as Predict).params).toMatchObject({ settings: { model: "m2", temperature: 0.1 }, demos: [{ question: "q", passages: "p", answer: "a" }] });
    expect(namedPredictors(program).map(([p]) => p)).toEqual(["rewrite", "answer.predict"]);
    expect(namedPredictors(tuned).map(([p]) => p)).toEqual(["rewrite.predict", "answer"]);
  });

  it("refuses an invalid configuration with the reason, and round-trips a configuration through JSON", () => {
    const program = new Rag();
    const space = discoverSpace(program);
    expect(() => space.apply(program, { topK: 0 })).toThrow(ConfigInvalidError);
    expect(() => space.apply(program, { topK: 0 })).toThrow('Invalid configuration: "topK" must be at least 1 (got 0)');
    const config = space.complete({ "answer.instructions": "Cite.", topK: 5 });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    expect(space.apply(program, JSON.parse(JSON.stringify(config))).topK.value).toBe(5);
  });

  it("turns signature fields marked as variables into variables of the step", () => {
    const sig = defineSignature({
      inputs: { text: t.string(), tone: t.variable(t.labels(["formal", "casual"]), { default: "formal" }), strictness: t.variable(t.probability(), { default: 0.5 }) },
      outputs: { reply: t.string() },
    });
    const program = defineProgram({ name: "p", modules: { reply: new Predict(sig) }, forward: async (i: { text: string }, m, ctx) => m.reply.run(i as never, ctx) });
    const space = discoverSpace(program, { temperature: false });
    expect(space.get("reply.tone")!.domain).toEqual({ type: "categorical", choices: ["formal", "casual"] });
    expect(space.get("reply.strictness")!.domain).toMatchObject({ type: "float", low: 0, high: 1 });
    const applied = space.apply(program, { "reply.tone": "casual" });
    expect((applied.get("reply") as Predict).params.variables).toEqual({ tone: "casual", strictness: 0.5 });
  });
});
