import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InputValidationError, OutputValidationError } from "../errors";
import { SignatureInvalidError, createSignature, fieldTypeOf, isStrictJsonSchema, parseShorthand, signature, t } from "./index";

const qa = signature('question, context? -> answer "short", sentiment: labels(positive, negative), confidence: probability');

function issuesOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputValidationError || e instanceof OutputValidationError) return [...e.issues];
    throw e;
  }
  throw new Error("no validation error");
}

describe("Signature values", () => {
  it("are frozen, down to each field", () => {
    expect(Object.isFrozen(qa)).toBe(true);
    expect(Object.isFrozen(qa.inputs)).toBe(true);
    expect(Object.isFrozen(qa.outputs[0])).toBe(true);
    expect(() => {
      (qa.inputs as unknown as unknown[]).push("x");
    }).toThrow();
    expect(() => {
      (qa as unknown as { instructions: string }).instructions = "changed";
    }).toThrow();
  });

  it("with-methods return new signatures and leave the original unchanged", () => {
    const before = JSON.stringify(qa.toJSON());
    const cot = qa.prependOutput("reasoning", fieldTypeOf(t.string()), { description: "step by step" });
    const more = qa.appendOutput("tags", t.list(t.string())).appendInput("language", t.string(), { optional: true });
    const fewer = qa.withoutField("context");
    const told = qa.withInstructions("Be brief.");
    expect(cot.outputs.map((f) => f.name)).toEqual(["reasoning", "answer", "sentiment", "confidence"]);
    expect(cot.field("reasoning")?.description).toBe("step by step");
    expect(more.outputs.at(-1)?.type.kind).toBe("list");
    expect(more.field("language")?.optional).toBe(true);
    expect(fewer.inputs.map((f) => f.name)).toEqual(["question"]);
    expect(told.instructions).toBe("Be brief.");
    expect(JSON.stringify(qa.toJSON())).toBe(before);
  });

  it("writes default instructions naming inputs and outputs, and keeps them in step with the fields", () => {
    expect(qa.instructions).toBe("Given the fields `question`, `context`, produce the fields `answer`, `sentiment`, `confidence`.");
    expect(qa.prependOutput("reasoning", t.string()).instructions).toBe(
      "Given the fields `question`, `context`, produce the fields `reasoning`, `answer`, `sentiment`, `confidence`.",
    );
    expect(signature("-> joke").instructions).toBe("Produce the fields `joke`.");
    expect(qa.withInstructions("Custom.").appendOutput("x", t.string()).instructions).toBe("Custom.");
  });

  it("refuses bad field sets with SignatureInvalidError", () => {
    expect(() => qa.appendOutput("question", t.string())).toThrow(SignatureInvalidError);
    expect(() => qa.appendOutput("question", t.string())).toThrow(/used twice \(as input and output\)/);
    expect(() => qa.appendOutput("bad name", t.string())).toThrow(/letter or _/);
    expect(() => qa.appendOutput("completed", t.string())).toThrow(/reserved/);
    expect(() => qa.withoutField("nope")).toThrow(/known fields: question, context, answer, sentiment, confidence/);
    expect(createSignature({ inputs: [{ name: "q", type: t.string() }], outputs: [] }).outputs).toEqual([]);
  });
});

describe("validateInputs", () => {
  it("returns the valid inputs", () => {
    expect(qa.validateInputs({ question: "Why?" })).toEqual({ question: "Why?" });
    expect(qa.validateInputs({ question: "Why?", context: "c" })).toEqual({ question: "Why?", context: "c" });
  });

  it("names a missing required input and how to pass it", () => {
    const issues = issuesOf(() => qa.validateInputs({ context: "c" }, "Predict(qa)"));
    expect(issues).toEqual([{ field: "question", message: 'is missing; pass it, e.g. { question: "..." }' }]);
    expect(() => qa.validateInputs({}, "Predict(qa)")).toThrow('Predict(qa): input "question" is missing');
  });

  it("names a wrong type with the value received", () => {
    const issues = issuesOf(() => qa.validateInputs({ question: 42 }));
    expect(issues).toEqual([{ field: "question", message: "must be a string; received 42" }]);
  });

  it("rejects unknown inputs, listing the known ones", () => {
    const issues = issuesOf(() => qa.validateInputs({ question: "q", qestion: "typo" }));
    expect(issues).toEqual([{ field: "qestion", message: "is not an input of this signature; known inputs: question, context" }]);
  });

  it("rejects a non-object", () => {
    expect(() => qa.validateInputs("text")).toThrow(/must be passed as an object with the inputs question, context; received "text"/);
  });

  it("fills variable inputs with their default when omitted, and lets the caller override", () => {
    const s = signature("question -> answer").appendInput("tone", t.labels(["formal", "casual"]), { variable: { default: "formal" } });
    expect(s.field("tone")?.variable).toEqual({ default: "formal" });
    expect(s.validateInputs({ question: "q" })).toEqual({ question: "q", tone: "formal" });
    expect(s.validateInputs({ question: "q", tone: "casual" })).toEqual({ question: "q", tone: "casual" });
    expect(issuesOf(() => s.validateInputs({ question: "q", tone: "rude" }))[0]?.message).toBe('must be one of: formal, casual; received "rude"');
    expect(() => signature("q -> a").appendInput("tone", t.labels(["formal"]), { variable: { default: "rude" } })).toThrow(
      'Signature field "tone": the variable\'s default "rude" is not a valid one of: formal; pass a default the type accepts',
    );
  });
});

describe("validateOutputs", () => {
  it("collects an issue per bad field, with the value received", () => {
    const issues = issuesOf(() => qa.validateOutputs({ answer: "a", sentiment: "meh", confidence: 1.5 }, "Predict"));
    expect(issues).toEqual([
      { field: "sentiment", message: 'must be one of: positive, negative; received "meh"' },
      { field: "confidence", message: "must be at most 1; received 1.5" },
    ]);
  });

  it("reports missing outputs, treats null as absent, and drops unknown keys", () => {
    expect(issuesOf(() => qa.validateOutputs({ answer: "a", sentiment: null, confidence: 0.5 }))).toEqual([
      { field: "sentiment", message: "is missing; the reply must include it" },
    ]);
    expect(qa.validateOutputs({ answer: "a", sentiment: "positive", confidence: 0.5, extra: 1 })).toEqual({ answer: "a", sentiment: "positive", confidence: 0.5 });
  });

  it("names the bad item of a list", () => {
    const s = signature("q -> scores: probability[]");
    expect(issuesOf(() => s.validateOutputs({ scores: [0.1, 2] }))[0]?.message).toBe("item 1 must be at most 1; received 2");
  });

  it("is fast enough for the hot path (well under 50 µs per call)", () => {
    const outputs = { answer: "a", sentiment: "positive", confidence: 0.5 };
    const inputs = { question: "q", context: "c" };
    for (let i = 0; i < 2000; i++) qa.validateOutputs(outputs);
    const start = performance.now();
    const n = 20000;
    for (let i = 0; i < n; i++) {
      qa.validateInputs(inputs);
      qa.validateOutputs(outputs);
    }
    const perCallUs = ((performance.now() - start) / n) * 1000;
    expect(perCallUs).toBeLessThan(20);
  });
});

describe("outputJsonSchema", () => {
  it("is strict-mode compatible: all properties required, additionalProperties false, optional ones nullable", () => {
    const s = qa.appendOutput("note", t.string(), { optional: true });
    const schema = s.outputJsonSchema();
    expect(schema).toEqual({
      type: "object",
      properties: {
        answer: { type: "string", description: "short" },
        sentiment: { type: "string", enum: ["positive", "negative"] },
        confidence: { type: "number", minimum: 0, maximum: 1 },
        note: { anyOf: [{ type: "string" }, { type: "null" }] },
      },
      required: ["answer", "sentiment", "confidence", "note"],
      additionalProperties: false,
    });
    expect(isStrictJsonSchema(schema)).toBe(true);
    expect(s.outputJsonSchema()).toBe(schema);
  });

  it("is not strict when an output is a free-form object", () => {
    expect(isStrictJsonSchema(signature("q -> data: json").outputJsonSchema())).toBe(false);
  });
});

describe("toJSON and toString", () => {
  it("gives plain data for saving", () => {
    const json = qa.toJSON();
    expect(json.instructions).toBe(qa.instructions);
    expect(json.outputs[1]).toEqual({ name: "sentiment", kind: "labels", hint: "one of: positive, negative", optional: false, labels: [{ value: "positive" }, { value: "negative" }] });
    expect(json.outputs[2]).toMatchObject({ name: "confidence", kind: "probability", min: 0, max: 1 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("round-trips simple signatures through the shorthand", () => {
    const sources = [
      "question, context? -> answer",
      'question "the question" -> answer: integer "a count", ok: boolean',
      "q -> a: probability, b: confidence, c: score(1, 5), d: string[], e: list(labels(x, y)), f: json, g: embedding(4), h: number[][]",
      'q -> a: "n/a" | "yes"',
      "-> joke",
    ];
    for (const source of sources) {
      const s = signature(source);
      const again = signature(s.toString());
      expect(again.toString()).toBe(s.toString());
      expect(again.toJSON()).toEqual(s.toJSON());
    }
    expect(signature("question, context? -> answer").toString()).toBe("question, context? -> answer");
    expect(parseShorthand(signature("q -> c: score(1, 5)").toString()).outputs[0]?.type.max).toBe(5);
  });

  it("writes zod-form signatures in shorthand too", () => {
    const s = createSignature({ inputs: [{ name: "text", type: z.string() }], outputs: [{ name: "label", type: t.labels(["a", "b"]) }] });
    expect(s.toString()).toBe("text -> label: labels(a, b)");
  });
});
