import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSignature, t } from "../../dspex";
import { InvalidInputError, parseDatasetFile, type DatasetImportResult } from "./index";

const signature = defineSignature({
  instructions: "Score a review.",
  inputs: { review: z.string(), stars: t.integer() },
  outputs: { sentiment: t.labels(["positive", "negative"]), confidence: t.probability() },
});

function errorsOf(result: DatasetImportResult) {
  if (result.ok) throw new Error("expected the import to fail");
  return result.errors;
}

describe("JSONL import", () => {
  it("reads nested and flat rows, with splits, skipping blank lines", () => {
    const text = [
      '{"inputs": {"review": "great", "stars": 5}, "outputs": {"sentiment": "positive", "confidence": 0.9}, "split": "validation"}',
      "",
      '{"input.review": "bad", "input.stars": 1, "output.sentiment": "negative"}',
      '{"review": "meh", "stars": "3", "split": "test"}',
    ].join("\n");
    const result = parseDatasetFile(text, { format: "jsonl" }, signature);
    expect(result).toEqual({
      ok: true,
      examples: [
        { line: 1, inputs: { review: "great", stars: 5 }, outputs: { sentiment: "positive", confidence: 0.9 }, split: "validation" },
        { line: 3, inputs: { review: "bad", stars: 1 }, outputs: { sentiment: "negative" }, split: "train" },
        // "3" is read as the integer field it is.
        { line: 4, inputs: { review: "meh", stars: 3 }, outputs: {}, split: "test" },
      ],
    });
  });

  it("imports nothing and reports every bad row with its line and field", () => {
    const text = [
      '{"inputs": {"review": "ok", "stars": 4}, "outputs": {"sentiment": "positive"}}',
      "{not json",
      '{"inputs": {"stars": 2}, "outputs": {"sentiment": "angry"}}',
      '{"inputs": {"review": "x", "stars": 1, "color": "red"}, "split": "holdout"}',
      "[1, 2]",
    ].join("\n");
    const errors = errorsOf(parseDatasetFile(text, { format: "jsonl" }, signature));
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, undefined],
      [3, "input.review"],
      [3, "output.sentiment"],
      [4, "input.color"],
      [4, "split"],
      [5, undefined],
    ]);
    expect(errors[0]!.message).toMatch(/not valid JSON/);
    expect(errors[1]!.message).toMatch(/missing/);
    expect(errors[2]!.message).toMatch(/positive, negative/);
    expect(errors[3]!.message).toMatch(/not an input of the program/);
  });

  it("without a signature keeps values as given", () => {
    const result = parseDatasetFile('{"inputs": {"q": 1}, "outputs": {"a": [1, 2]}}', { format: "jsonl" });
    expect(result).toEqual({ ok: true, examples: [{ line: 1, inputs: { q: 1 }, outputs: { a: [1, 2] }, split: "train" }] });
  });

  it("refuses an empty file and more rows than allowed", () => {
    expect(errorsOf(parseDatasetFile("\n\n", { format: "jsonl" }))[0]!.message).toMatch(/no examples/);
    const rows = Array.from({ length: 3 }, () => '{"inputs": {"q": 1}}').join("\n");
    expect(errorsOf(parseDatasetFile(rows, { format: "jsonl", maxRows: 2 }))[0]).toMatchObject({ line: 3, message: expect.stringMatching(/at most 2/) });
  });

  it("rejects bad options as an INVALID store error naming the option", () => {
    expect(() => parseDatasetFile("", { format: "xml" as never })).toThrow(InvalidInputError);
    expect(() => parseDatasetFile("", { format: "csv", mapping: { a: "inputs" } })).toThrow(/mapping\.a/);
  });
});

describe("CSV import", () => {
  it("reads input./output./split columns and converts text by the field types", () => {
    const csv = 'input.review,input.stars,output.sentiment,output.confidence,split\n"Loved it, really",5,positive,80%,train\nAwful,1,negative,,validation\n';
    const result = parseDatasetFile(csv, { format: "csv" }, signature);
    expect(result).toEqual({
      ok: true,
      examples: [
        { line: 2, inputs: { review: "Loved it, really", stars: 5 }, outputs: { sentiment: "positive", confidence: 0.8 }, split: "train" },
        // An empty cell is an absent value: the example is unlabeled for confidence.
        { line: 3, inputs: { review: "Awful", stars: 1 }, outputs: { sentiment: "negative" }, split: "validation" },
      ],
    });
  });

  it("accepts bare field names with a signature, and any names through a mapping", () => {
    expect(parseDatasetFile("review,stars\nfine,3\n", { format: "csv", defaultSplit: "test" }, signature)).toMatchObject({
      ok: true,
      examples: [{ inputs: { review: "fine", stars: 3 }, split: "test" }],
    });
    const mapped = parseDatasetFile("text,n,label,notes\nnice,4,positive,ignore me\n", {
      format: "csv",
      mapping: { text: "input.review", n: "input.stars", label: "output.sentiment", notes: "ignore" },
    }, signature);
    expect(mapped).toMatchObject({ ok: true, examples: [{ inputs: { review: "nice", stars: 4 }, outputs: { sentiment: "positive" } }] });
  });

  it("reports header problems on line 1 and imports nothing", () => {
    const errors = errorsOf(parseDatasetFile("input.review,colour,output.mood\nx,y,z\n", { format: "csv" }, signature));
    expect(errors.map((e) => e.field)).toEqual(["colour", "output.mood", "input.stars"]);
    expect(errors.every((e) => e.line === 1)).toBe(true);
    expect(errors[2]!.message).toMatch(/required input "stars"/);
  });

  it("reports each bad row (line, field) including wrong field counts and quoted line breaks", () => {
    const csv = 'input.review,input.stars,output.sentiment\n"multi\nline",x,positive\nok,2\nok,3,neutral\n';
    const errors = errorsOf(parseDatasetFile(csv, { format: "csv" }, signature));
    expect(errors).toEqual([
      { line: 2, field: "input.stars", message: expect.stringMatching(/integer|number/) },
      { line: 4, message: "has 2 fields, the header has 3" },
      { line: 5, field: "output.sentiment", message: expect.stringMatching(/positive, negative/) },
    ]);
  });

  it("reports a CSV syntax error with its line", () => {
    expect(errorsOf(parseDatasetFile('input.q\n"open', { format: "csv" }))).toEqual([{ line: 2, message: expect.stringMatching(/never closed/) }]);
  });

  it("without a signature needs input./output. names and keeps text as text", () => {
    expect(parseDatasetFile("input.q,output.a\n1,2\n", { format: "csv" })).toEqual({ ok: true, examples: [{ line: 2, inputs: { q: "1" }, outputs: { a: "2" }, split: "train" }] });
    expect(errorsOf(parseDatasetFile("q,a\n1,2\n", { format: "csv" }))[0]).toMatchObject({ line: 1, field: "q" });
  });
});
