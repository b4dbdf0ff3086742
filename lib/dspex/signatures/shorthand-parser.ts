// The signature shorthand, e.g. `question, context? -> answer: string "short", confidence: probability`.
//
// Grammar (whitespace is free between tokens):
//   signature   := inputs? "->" outputs
//   inputs      := field ("," field)*          (may be empty: "-> joke")
//   outputs     := field ("," field)*          (at least one)
//   field       := name "?"? (":" type)? description?
//   name        := [A-Za-z_][A-Za-z0-9_]*      ("completed" is reserved)
//   type        := base ("[]")*                ("[]" makes a list; "string[][]" nests)
//   base        := "string" | "number" | "integer" | "int" | "boolean" | "bool"
//                | "probability" | "confidence" | "json"
//                | "score" ("(" number "," number ")")?     (no bounds: 0 to 10)
//                | "list" "(" type ")"
//                | "embedding" "(" positive-integer ")"
//                | "labels" "(" label ("," label)* ")"       label := words or a quoted string
//                | quoted ("|" quoted)*                      ("a" | "b": labels as quoted strings)
//   description := quoted                     (a "..." string; \" and \\ escape)
// A field without a type is a string. Names are case-sensitive; type names are lower case.
import { SignatureSyntaxError } from "../errors";
import type { FieldType, LabelOption } from "./types";
import { checkParentheses, tokenize, type Token, type TokenKind } from "./shorthand-lexer";
import { closest } from "./suggest";
import { DEFAULT_SCORE_RANGE, confidenceType, probabilityType, scoreType } from "./bounded-types";
import { booleanType, integerType, numberType, stringType } from "./scalar-types";
import { embeddingType, listType } from "./list-types";
import { labelsType } from "./labels-type";
import { jsonType } from "./json-type";

export interface ShorthandField {
  readonly name: string;
  readonly optional: boolean;
  readonly type: FieldType;
  readonly description?: string;
}

export interface ShorthandSpec {
  readonly inputs: readonly ShorthandField[];
  readonly outputs: readonly ShorthandField[];
}

let simpleTypes: Record<string, FieldType> | undefined;
function simple(name: string): FieldType | undefined {
  simpleTypes ??= {
    string: stringType(),
    number: numberType(),
    integer: integerType(),
    int: integerType(),
    boolean: booleanType(),
    bool: booleanType(),
    probability: probabilityType(),
    confidence: confidenceType(),
    json: jsonType(),
  };
  return simpleTypes[name];
}

const TYPE_NAMES = ["string", "number", "integer", "int", "boolean", "bool", "probability", "confidence", "json", "score", "list", "embedding", "labels"];
const TYPES_EXPECTED = "a type: string, number, integer, boolean, probability, confidence, json, score(min, max), embedding(n), labels(a, b), list(type), type[] or \"a\" | \"b\"";
const NAME_RULE = "(a letter or _ then letters, digits or _)";

class Parser {
  private i = 0;
  private readonly seen = new Map<string, { role: "input" | "output"; at: number }>();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "end") this.i++;
    return t;
  }

  private accept(kind: TokenKind): Token | undefined {
    return this.peek().kind === kind ? this.next() : undefined;
  }

  private fail(at: number, expected: string): never {
    throw new SignatureSyntaxError(this.source, at, expected);
  }

  private expect(kind: TokenKind, expected: string): Token {
    return this.accept(kind) ?? this.fail(this.peek().start, expected);
  }

  parse(): ShorthandSpec {
    const inputs = this.peek().kind === "arrow" ? [] : this.fields("input");
    const arrow = this.peek();
    if (arrow.kind !== "arrow") {
      this.fail(arrow.start, arrow.kind === "end" ? '"->" followed by the output fields' : '"," or "->"');
    }
    this.next();
    const outputs = this.fields("output");
    const end = this.peek();
    if (end.kind !== "end") this.fail(end.start, end.kind === "arrow" ? '"," or the end (a signature has exactly one "->")' : '"," or the end of the signature');
    return { inputs, outputs };
  }

  private fields(role: "input" | "output"): ShorthandField[] {
    const out = [this.field(role)];
    while (this.accept(",")) out.push(this.field(role));
    return out;
  }

  private field(role: "input" | "output"): ShorthandField {
    const tok = this.peek();
    if (tok.kind !== "name") this.fail(tok.start, `${role === "input" ? "an input" : "an output"} field name ${NAME_RULE}`);
    this.next();
    this.checkName(tok, role);
    const optional = this.accept("?") !== undefined;
    const type = this.accept(":") ? this.type() : (simple("string") as FieldType);
    const description = this.accept("string")?.text;
    const next = this.peek();
    if (next.kind !== "," && next.kind !== "arrow" && next.kind !== "end") {
      const what = type === simple("string") && !description ? '"?", ":", a quoted description, "," or "->"' : 'a quoted description, "," or "->"';
      this.fail(next.start, what);
    }
    return { name: tok.text, optional, type, ...(description !== undefined ? { description } : {}) };
  }

  private checkName(tok: Token, role: "input" | "output"): void {
    if (tok.text === "completed") this.fail(tok.start, 'a field name other than "completed" (it is reserved for the end marker)');
    const prior = this.seen.get(tok.text);
    if (prior) {
      const where = `"${tok.text}" is already ${prior.role === "input" ? "an input" : "an output"} at position ${prior.at}`;
      this.fail(tok.start, prior.role === role ? `a new field name (${where})` : `an output name that is not also an input (${where})`);
    }
    this.seen.set(tok.text, { role, at: tok.start });
  }

  private type(): FieldType {
    let type = this.baseType();
    while (this.accept("[]")) type = listType(type);
    return type;
  }

  private baseType(): FieldType {
    const tok = this.next();
    if (tok.kind === "string") return this.quotedLabels(tok);
    if (tok.kind !== "name") this.fail(tok.start, TYPES_EXPECTED);
    const plain = simple(tok.text);
    if (plain) return plain;
    switch (tok.text) {
      case "score":
        return this.score();
      case "list": {
        this.expect("(", '"(" and the item type, e.g. list(string)');
        const item = this.type();
        this.expect(")", '")" after the item type');
        return listType(item);
      }
      case "embedding":
        return this.embedding();
      case "labels":
        return this.labels();
      default: {
        const guess = closest(tok.text, TYPE_NAMES);
        return this.fail(tok.start, `${TYPES_EXPECTED}${guess ? `; did you mean "${guess}"?` : ` (got "${tok.text}")`}`);
      }
    }
  }

  private number(expected: string): { value: number; at: number } {
    const tok = this.expect("number", expected);
    return { value: Number(tok.text), at: tok.start };
  }

  private score(): FieldType {
    if (!this.accept("(")) return scoreType(DEFAULT_SCORE_RANGE.min, DEFAULT_SCORE_RANGE.max);
    const min = this.number("the lowest score, a number, e.g. score(1, 5)");
    this.expect(",", '"," and the highest score, e.g. score(1, 5)');
    const max = this.number("the highest score, a number, e.g. score(1, 5)");
    this.expect(")", '")" after the highest score');
    if (!(min.value < max.value)) this.fail(min.at, `a lowest score below the highest (${min.value} is not below ${max.value})`);
    return scoreType(min.value, max.value);
  }

  private embedding(): FieldType {
    this.expect("(", '"(" and the number of dimensions, e.g. embedding(768)');
    const n = this.number("the number of dimensions, a positive integer, e.g. embedding(768)");
    if (!Number.isInteger(n.value) || n.value <= 0) this.fail(n.at, `a positive integer number of dimensions (got ${n.value})`);
    this.expect(")", '")" after the number of dimensions');
    return embeddingType(n.value);
  }

  private labels(): FieldType {
    this.expect("(", '"(" and the labels, e.g. labels(positive, negative)');
    const options: LabelOption[] = [];
    do options.push(this.label(options));
    while (this.accept(","));
    this.expect(")", '"," or ")" after a label');
    return labelsType(options);
  }

  private label(prior: readonly LabelOption[]): LabelOption {
    const first = this.peek();
    let value: string;
    if (first.kind === "string") value = this.next().text;
    else {
      let last: Token | undefined;
      while (this.peek().kind === "name" || this.peek().kind === "number") last = this.next();
      if (!last) this.fail(first.start, "a label (words, or a quoted string)");
      value = this.source.slice(first.start, last.end);
    }
    if (prior.some((o) => o.value === value)) this.fail(first.start, `a label not already listed ("${value}" appears twice)`);
    return { value };
  }

  private quotedLabels(first: Token): FieldType {
    const options: LabelOption[] = [{ value: first.text }];
    while (this.accept("|")) {
      const tok = this.expect("string", 'a quoted label after "|", e.g. "a" | "b"');
      if (options.some((o) => o.value === tok.text)) this.fail(tok.start, `a label not already listed ("${tok.text}" appears twice)`);
      options.push({ value: tok.text });
    }
    return labelsType(options);
  }
}

const cache = new Map<string, ShorthandSpec>();

/** Parses the shorthand; throws SignatureSyntaxError with the position and what was expected there. */
export function parseShorthand(source: string): ShorthandSpec {
  const hit = cache.get(source);
  if (hit) return hit;
  const tokens = tokenize(source);
  checkParentheses(source);
  const spec = new Parser(source, tokens).parse();
  if (cache.size >= 512) cache.clear();
  cache.set(source, spec);
  return spec;
}
