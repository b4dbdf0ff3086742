import { describe, expect, it } from "vitest";
import { SignatureSyntaxError } from "../errors";
import { DEFAULT_SCORE_RANGE, SignatureInvalidError, parseShorthand, signature } from "./index";

function syntaxError(source: string): SignatureSyntaxError {
  try {
    parseShorthand(source);
  } catch (e) {
    if (e instanceof SignatureSyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${source}`);
}

describe("shorthand grammar", () => {
  it("reads inputs, outputs, optional markers and the default string type", () => {
    const spec = parseShorthand("question, context? -> answer");
    expect(spec.inputs.map((f) => [f.name, f.optional, f.type.kind])).toEqual([
      ["question", false, "string"],
      ["context", true, "string"],
    ]);
    expect(spec.outputs.map((f) => [f.name, f.type.kind])).toEqual([["answer", "string"]]);
  });

  it("reads every simple type and its aliases", () => {
    const spec = parseShorthand("q -> a: string, b: number, c: integer, d: int, e: boolean, f: bool, g: probability, h: confidence, i: json");
    expect(spec.outputs.map((f) => f.type.kind)).toEqual(["string", "number", "integer", "integer", "boolean", "boolean", "probability", "confidence", "json"]);
  });

  it("reads score with and without bounds (default 0 to 10)", () => {
    const [plain, bounded] = parseShorthand("q -> a: score, b: score(1, 5)").outputs;
    expect([plain?.type.min, plain?.type.max]).toEqual([DEFAULT_SCORE_RANGE.min, DEFAULT_SCORE_RANGE.max]);
    expect([plain?.type.min, plain?.type.max]).toEqual([0, 10]);
    expect([bounded?.type.min, bounded?.type.max]).toEqual([1, 5]);
    expect(parseShorthand("q -> a: score(-1.5, 2)").outputs[0]?.type.min).toBe(-1.5);
  });

  it("reads lists as type[] (nestable) and list(type)", () => {
    const [a, b, c] = parseShorthand("q -> a: string[], b: list(probability), c: integer[][]").outputs;
    expect([a?.type.kind, a?.type.item?.kind]).toEqual(["list", "string"]);
    expect([b?.type.kind, b?.type.item?.kind]).toEqual(["list", "probability"]);
    expect([c?.type.item?.kind, c?.type.item?.item?.kind]).toEqual(["list", "integer"]);
  });

  it("reads embedding(n)", () => {
    expect(parseShorthand("q -> v: embedding(768)").outputs[0]?.type.dimensions).toBe(768);
  });

  it("reads labels(...) with multi-word and quoted labels, and the \"a\" | \"b\" form", () => {
    const [a, b] = parseShorthand('q -> a: labels(very positive, negative, "n/a"), b: "yes" | "no"').outputs;
    expect(a?.type.labels?.map((l) => l.value)).toEqual(["very positive", "negative", "n/a"]);
    expect(b?.type.labels?.map((l) => l.value)).toEqual(["yes", "no"]);
  });

  it("reads quoted descriptions after a name or a type, with escapes", () => {
    const spec = parseShorthand('question "the user\'s \\"question\\"" -> answer: string "short, factual", s: "a" | "b" "pick one"');
    expect(spec.inputs[0]?.description).toBe('the user\'s "question"');
    expect(spec.outputs[0]?.description).toBe("short, factual");
    expect(spec.outputs[1]?.description).toBe("pick one");
    expect(spec.outputs[1]?.type.labels?.map((l) => l.value)).toEqual(["a", "b"]);
  });

  it("allows a signature without inputs", () => {
    expect(parseShorthand("-> joke").inputs).toEqual([]);
  });

  it("tolerates any whitespace between tokens", () => {
    const spec = parseShorthand("  question ,context ?->answer:score( 1 ,5 )  ");
    expect(spec.inputs.map((f) => f.name)).toEqual(["question", "context"]);
    expect(spec.outputs[0]?.type.max).toBe(5);
  });
});

describe("malformed shorthand: SignatureSyntaxError with the position and what was expected", () => {
  const cases: [string, number, string][] = [
    ["question answer", 9, '"?", ":", a quoted description, "," or "->"'],
    ["question", 8, '"->" followed by the output fields'],
    ["question, -> answer", 10, "an input field name"],
    [", q -> a", 0, "an input field name"],
    ["q -> a,", 7, "an output field name"],
    ["q ->", 4, "an output field name"],
    ["q -> : number", 5, "an output field name"],
    ["q -> a: probabilty", 8, 'did you mean "probability"?'],
    ["q -> a: Integer", 8, 'did you mean "integer"?'],
    ["q -> a: flurble", 8, '(got "flurble")'],
    ["q -> a, a", 8, 'a new field name ("a" is already an output at position 5)'],
    ["q, q -> a", 3, 'a new field name ("q" is already an input at position 0)'],
    ["question -> question", 12, 'an output name that is not also an input ("question" is already an input at position 0)'],
    ["q -> a: labels(x, y", 19, '")" for the "(" opened at position 14'],
    ["q -> a: score(1, 5))", 19, 'a "(" before this ")" (it closes nothing)'],
    ["q -> a: list(string", 19, '")" for the "(" opened at position 12'],
    ["q -> a -> b", 7, 'a signature has exactly one "->"'],
    ["q -> a: score(5, 1)", 14, "a lowest score below the highest (5 is not below 1)"],
    ["q -> a: score(1 5)", 16, '"," and the highest score'],
    ["q -> a: embedding", 17, '"(" and the number of dimensions'],
    ["q -> a: embedding(0)", 18, "a positive integer number of dimensions (got 0)"],
    ["q -> a: embedding(x)", 18, "the number of dimensions, a positive integer"],
    ["q -> a: labels()", 15, "a label (words, or a quoted string)"],
    ["q -> a: labels(x, x)", 18, 'a label not already listed ("x" appears twice)'],
    ['q -> a: "x" | "x"', 14, 'a label not already listed ("x" appears twice)'],
    ['q -> a: "x" |', 13, 'a quoted label after "|"'],
    ['q -> a "unclosed', 16, 'a closing quote (") for the text that starts at position 7'],
    ["q -> completed", 5, 'a field name other than "completed"'],
    ["q$ -> a", 1, '"?", ":", a quoted description, "," or "->"'],
    ["1q -> a", 0, "an input field name (a letter or _ then letters, digits or _)"],
    ["q -> a: number b", 15, 'a quoted description, "," or "->"'],
    ["q -> a:", 7, "a type: string, number"],
  ];
  it.each(cases)("%s -> position %i", (source, position, expected) => {
    const e = syntaxError(source);
    expect(e.code).toBe("SIGNATURE_SYNTAX");
    expect(e.position).toBe(position);
    expect(e.expected).toContain(expected);
    expect(e.message).toContain(`at position ${position}`);
    expect(e.message).toContain(source);
  });

  it("draws a caret under the position in the message", () => {
    const e = syntaxError("q -> a: probabilty");
    expect(e.message.split("\n").at(-1)).toBe(`  ${" ".repeat(8)}^`);
  });
});

describe("signature() options", () => {
  it("applies descriptions by field name over quoted ones, and instructions", () => {
    const s = signature('question -> answer "old"', { instructions: "Answer.", descriptions: { answer: "new", question: "asked" } });
    expect(s.instructions).toBe("Answer.");
    expect(s.field("answer")?.description).toBe("new");
    expect(s.field("question")?.description).toBe("asked");
  });

  it("rejects a description for a field the shorthand does not have, listing the known fields", () => {
    expect(() => signature("question -> answer", { descriptions: { anwser: "x" } })).toThrow(SignatureInvalidError);
    expect(() => signature("question -> answer", { descriptions: { anwser: "x" } })).toThrow(/known fields: question, answer/);
  });
});
