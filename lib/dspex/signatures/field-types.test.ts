import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SignatureInvalidError, fieldTypeOf, fieldValueFromJson, t } from "./index";

const ok = (schema: z.ZodType, v: unknown) => fieldTypeOf(schema).schema.safeParse(v).success;

describe("t.string / number / integer / boolean", () => {
  it("validates and reads text", () => {
    const s = fieldTypeOf(t.string());
    expect([s.kind, s.hint]).toEqual(["string", "string"]);
    expect(s.fromText("  hello\n")).toBe("hello");
    expect(ok(t.string(), 1)).toBe(false);

    const n = fieldTypeOf(t.number());
    expect(n.fromText("The answer is about 1,234.5 units.")).toBe(1234.5);
    expect(n.fromText("-3e2")).toBe(-300);
    expect(n.fromText("none")).toBe("none");
    expect(n.jsonSchema()).toEqual({ type: "number" });

    const i = fieldTypeOf(t.integer());
    expect(i.fromText("42.")).toBe(42);
    expect(ok(t.integer(), 4.5)).toBe(false);
    expect(i.jsonSchema()).toEqual({ type: "integer" });

    const b = fieldTypeOf(t.boolean());
    expect(["yes", "True.", "**YES**", "Yes, because it is.", "y", "correct"].map(b.fromText)).toEqual([true, true, true, true, true, true]);
    expect(["no", "False", "No - it is not", "incorrect"].map(b.fromText)).toEqual([false, false, false, false]);
    expect(b.fromText("maybe")).toBe("maybe");
    expect(b.toText(false)).toBe("false");
  });
});

describe("t.probability / t.confidence", () => {
  it("reads 0.8, 80% and fenced numbers, and bounds the value to 0..1", () => {
    const p = fieldTypeOf(t.probability());
    expect(p.kind).toBe("probability");
    expect(p.hint).toBe("probability: a number from 0 to 1");
    expect([p.fromText("0.8"), p.fromText("80%"), p.fromText("```\n0.3\n```"), p.fromText("about 5 %")]).toEqual([0.8, 0.8, 0.3, 0.05]);
    expect(ok(t.probability(), 1.2)).toBe(false);
    expect(ok(t.probability(), -0.1)).toBe(false);
    expect(ok(t.probability(), 1)).toBe(true);
    expect(p.jsonSchema()).toEqual({ type: "number", minimum: 0, maximum: 1 });
    expect(fieldValueFromJson(p, "70%")).toBe(0.7);
    expect(fieldValueFromJson(p, 0.7)).toBe(0.7);
  });

  it("describes a confidence as such", () => {
    const c = fieldTypeOf(t.confidence());
    expect(c.kind).toBe("confidence");
    expect(c.hint).toContain("confidence");
    expect([c.min, c.max]).toEqual([0, 1]);
    expect(c.fromText("95%")).toBe(0.95);
  });
});

describe("t.labels", () => {
  const sentiment = t.labels({ positive: "the text approves", negative: "the text disapproves", very_negative: "" });
  const type = fieldTypeOf(sentiment);

  it("keeps labels and descriptions, hints them, and validates membership", () => {
    expect(type.labels).toEqual([
      { value: "positive", description: "the text approves" },
      { value: "negative", description: "the text disapproves" },
      { value: "very_negative" },
    ]);
    expect(type.hint).toBe("one of: positive, negative, very_negative");
    expect(ok(sentiment, "positive")).toBe(true);
    expect(ok(sentiment, "Positive")).toBe(false);
    expect(type.jsonSchema()).toEqual({ type: "string", enum: ["positive", "negative", "very_negative"] });
  });

  it("maps unambiguous near-misses to the label and leaves the rest for validation", () => {
    const read = (s: string) => type.fromText(s);
    expect(read("Positive.")).toBe("positive");
    expect(read("  NEGATIVE  ")).toBe("negative");
    expect(read('"positive"')).toBe("positive");
    expect(read("**negative**")).toBe("negative");
    expect(read("Sentiment: positive")).toBe("positive");
    expect(read("postive")).toBe("positive");
    expect(read("very negative")).toBe("very_negative");
    expect(read("neutral")).toBe("neutral");
    expect(read("positive or negative")).toBe("positive or negative");
  });

  it("accepts an array of labels and rejects empty or duplicate label sets", () => {
    expect(fieldTypeOf(t.labels(["a", "b"])).labels).toEqual([{ value: "a" }, { value: "b" }]);
    expect(() => t.labels([])).toThrow(SignatureInvalidError);
    expect(() => t.labels(["a", "a"])).toThrow(/"a" appears twice/);
  });
});

describe("t.score", () => {
  it("reads 7, 7/10 and '4 out of 5' and keeps the bounds", () => {
    const s = fieldTypeOf(t.score(1, 5));
    expect([s.fromText("4"), s.fromText("4/5"), s.fromText("4 out of 5")]).toEqual([4, 4, 4]);
    expect(ok(t.score(1, 5), 6)).toBe(false);
    expect(ok(t.score(1, 5), 0)).toBe(false);
    expect(s.hint).toBe("score: a number from 1 to 5");
    expect(() => t.score(5, 1)).toThrow(/min < max/);
  });
});

describe("t.list", () => {
  const tags = t.list(t.string(), { min: 1, max: 3 });
  const type = fieldTypeOf(tags);

  it("reads JSON arrays, fenced arrays, bullets, numbered lines and comma lists", () => {
    expect(type.fromText('["a", "b"]')).toEqual(["a", "b"]);
    expect(type.fromText('```json\n["x", "y"]\n```')).toEqual(["x", "y"]);
    expect(type.fromText("- one\n- two\n* three")).toEqual(["one", "two", "three"]);
    expect(type.fromText("1. first\n2) second")).toEqual(["first", "second"]);
    expect(type.fromText("red, green")).toEqual(["red", "green"]);
    expect(type.fromText("")).toEqual([]);
  });

  it("converts items with the item type and validates bounds", () => {
    const probs = fieldTypeOf(t.list(t.probability()));
    expect(probs.fromText("- 50%\n- 0.2")).toEqual([0.5, 0.2]);
    expect(probs.fromText('["10%", 0.3]')).toEqual([0.1, 0.3]);
    expect(ok(tags, [])).toBe(false);
    expect(ok(tags, ["a", "b", "c", "d"])).toBe(false);
    expect(ok(tags, ["a"])).toBe(true);
    expect(type.hint).toBe("list of string (JSON array, 1 to 3 items)");
    expect(type.jsonSchema()).toEqual({ type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 });
    expect(type.toText(["a", "b"])).toBe('["a","b"]');
  });
});

describe("t.json", () => {
  const schema = t.json(z.object({ city: z.string(), population: z.number(), note: z.string().optional() }));
  const type = fieldTypeOf(schema);

  it("reads fenced, embedded and broken JSON objects", () => {
    expect(type.fromText('```json\n{"city": "Paris", "population": 2}\n```')).toEqual({ city: "Paris", population: 2 });
    expect(type.fromText('Sure: {"city": "Rome", "population": 3} done')).toEqual({ city: "Rome", population: 3 });
    expect(type.fromText("{city: 'Oslo', population: 1,}")).toEqual({ city: "Oslo", population: 1 });
    expect(type.fromText("not json")).toBe("not json");
  });

  it("has a strict JSON schema (optional keys nullable and required) and drops nulls the schema does not allow", () => {
    expect(type.jsonSchema()).toEqual({
      type: "object",
      properties: { city: { type: "string" }, population: { type: "number" }, note: { anyOf: [{ type: "string" }, { type: "null" }] } },
      required: ["city", "population", "note"],
      additionalProperties: false,
    });
    expect(fieldValueFromJson(type, { city: "A", population: 1, note: null })).toEqual({ city: "A", population: 1 });
    expect(type.hint).toBe("json: a JSON object with keys: city (string), population (number), note (string, optional)");
  });

  it("without a schema accepts any object", () => {
    const any = fieldTypeOf(t.json());
    expect(any.schema.safeParse({ a: [1] }).success).toBe(true);
    expect(any.schema.safeParse([1]).success).toBe(false);
  });
});

describe("t.embedding", () => {
  it("is a fixed-length number array read from JSON or plain numbers", () => {
    const e = fieldTypeOf(t.embedding(3));
    expect(e.fromText("[0.1, 0.2, 0.3]")).toEqual([0.1, 0.2, 0.3]);
    expect(e.fromText("0.1 0.2, 0.3")).toEqual([0.1, 0.2, 0.3]);
    expect(ok(t.embedding(3), [1, 2])).toBe(false);
    expect(ok(t.embedding(3), [1, 2, 3])).toBe(true);
    expect(e.dimensions).toBe(3);
    expect(e.jsonSchema()).toEqual({ type: "array", items: { type: "number" }, minItems: 3, maxItems: 3 });
    expect(() => t.embedding(0)).toThrow(/positive integer/);
  });
});

describe("zod schemas carry their FieldType", () => {
  it("keeps the type through .describe() and .meta()", () => {
    expect(fieldTypeOf(t.confidence().describe("how sure")).kind).toBe("confidence");
    expect(fieldTypeOf(t.score(1, 3).meta({ title: "x" })).max).toBe(3);
  });

  it("maps plain zod schemas by inspection", () => {
    expect(fieldTypeOf(z.string().min(2)).kind).toBe("string");
    expect(fieldTypeOf(z.number().int()).kind).toBe("integer");
    expect(fieldTypeOf(z.number().min(0).max(1)).kind).toBe("probability");
    expect(fieldTypeOf(z.number().min(0).max(100)).hint).toBe("number from 0 to 100");
    expect(fieldTypeOf(z.boolean()).kind).toBe("boolean");
    expect(fieldTypeOf(z.enum(["a", "b"])).labels?.map((l) => l.value)).toEqual(["a", "b"]);
    expect(fieldTypeOf(z.union([z.literal("x"), z.literal("y")])).labels?.map((l) => l.value)).toEqual(["x", "y"]);
    const list = fieldTypeOf(z.array(z.number().int()).max(2));
    expect([list.kind, list.item?.kind, list.max]).toEqual(["list", "integer", 2]);
    expect(fieldTypeOf(z.object({ a: z.string() })).kind).toBe("json");
    expect(fieldTypeOf(z.record(z.string(), z.number())).kind).toBe("json");
  });

  it("keeps the user's own checks when inferring", () => {
    const type = fieldTypeOf(z.string().min(3));
    expect(type.schema.safeParse("ab").success).toBe(false);
  });
});

describe("t.variable", () => {
  it("checks the default against the type", () => {
    expect(() => t.variable(t.probability(), { default: 2 })).toThrow(SignatureInvalidError);
    expect(fieldTypeOf(t.variable(t.probability(), { default: 0.5 })).kind).toBe("probability");
  });
});
