import { describe, expect, it } from "vitest";
import { ChainOfThought, Predict, defineProgram, withPredictor } from "../modules";
import { byFields, FakeLM } from "../testing/fake-lm";
import { loadState, loadStateJSON, saveState, stateToJSON, StateError } from "./index";

const makeProgram = () =>
  defineProgram({
    name: "qa",
    modules: { retrieve: new Predict("question -> query"), answer: new ChainOfThought("question, passages -> answer") },
    async forward(inputs: { question: string }, m, ctx) {
      const { query } = await m.retrieve.run(inputs, ctx);
      return m.answer.run({ question: inputs.question, passages: String(query) }, ctx);
    },
  });

describe("program state", () => {
  it("round-trips instructions, demos, settings and adapter through JSON into a fresh program", async () => {
    let tuned = withPredictor(makeProgram(), "answer.predict", {
      instructions: "Cite the passage.",
      demos: [{ question: "q1", passages: "p1", reasoning: "r1", answer: "a1" }],
      settings: { temperature: 0.2, model: "gpt-4o-mini", stop: ["END"] },
      adapter: "json",
    });
    tuned = withPredictor(tuned, "retrieve", { settings: { maxTokens: 64 } });
    const text = stateToJSON(saveState(tuned, { name: "qa", now: () => new Date("2026-01-01T00:00:00Z") }));
    const loaded = loadStateJSON(makeProgram(), text);
    expect(saveState(loaded, { name: "qa", now: () => new Date("2026-01-01T00:00:00Z") })).toEqual(JSON.parse(text));
    const p = loaded.get("answer.predict") as Predict;
    expect(p.params).toMatchObject({ instructions: "Cite the passage.", adapter: "json", settings: { temperature: 0.2, model: "gpt-4o-mini", stop: ["END"] } });

    // The loaded program runs with what was saved.
    const lm = new FakeLM((req) => (req.responseFormat ? JSON.stringify({ reasoning: "r", answer: "a" }) : byFields(() => ({ query: "x" }))(req, 0)));
    await loaded.run({ question: "q" }, lm);
    expect(lm.requests[1]!.model).toBe("gpt-4o-mini");
    expect(lm.requests[1]!.messages[0]!.content).toContain("Cite the passage.");
  });

  it("rejects what is not a state, or a newer version, with a message saying so", () => {
    expect(() => loadState(makeProgram(), { hello: 1 })).toThrow('Program state: not a DSPEx program state: "format" must be "dspex.program-state"');
    expect(() => loadState(makeProgram(), { format: "dspex.program-state", version: 9, predictors: {} })).toThrow(/version 9 was written by a newer DSPEx/);
    expect(() => loadStateJSON(makeProgram(), "{oops")).toThrow(/not valid JSON/);
  });

  it("names the field that is wrong inside a state", () => {
    const state = saveState(makeProgram()) as unknown as { predictors: Record<string, { settings: Record<string, unknown> }> };
    state.predictors.retrieve!.settings.temperature = "hot";
    expect(() => loadState(makeProgram(), state)).toThrow(StateError);
    expect(() => loadState(makeProgram(), state)).toThrow(/predictors\.retrieve\.settings\.temperature: /);
  });

  it("refuses a state saved for another program shape, naming the predictor and both signatures", () => {
    const other = defineProgram({ name: "x", modules: { retrieve: new Predict("question -> query, score") }, forward: async () => ({}) });
    const state = saveState(other);
    expect(() => loadState(makeProgram(), state)).toThrow(
      'Program state: predictor "retrieve" was saved for (question) -> (query, score) but the program\'s is (question) -> (query)',
    );
    const extra = { ...saveState(makeProgram()), predictors: { ...saveState(makeProgram()).predictors, ghost: saveState(other).predictors.retrieve! } };
    expect(() => loadState(makeProgram(), extra)).toThrow(/it has predictor "ghost" but the program's predictors are: retrieve, answer\.predict/);
    const partial = { ...saveState(makeProgram()), predictors: { retrieve: saveState(makeProgram()).predictors.retrieve! } };
    expect(() => loadState(makeProgram(), partial)).toThrow(/"answer\.predict" missing/);
    expect(() => loadState(makeProgram(), partial, { partial: true })).not.toThrow();
  });

  it("refuses demos with fields the signature does not have", () => {
    const state = saveState(withPredictor(makeProgram(), "retrieve", { demos: [{ question: "q", qurey: "typo" }] }));
    expect(() => loadState(makeProgram(), state)).toThrow('predictor "retrieve" demo 0: unknown field(s) qurey; fields are question, query');
  });
});
