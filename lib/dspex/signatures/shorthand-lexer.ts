// Tokens of the signature shorthand. Every token keeps its 0-based start and end in the source, so
// the parser can point at the exact spot that is wrong.
import { SignatureSyntaxError } from "../errors";

export type TokenKind = "name" | "number" | "string" | "arrow" | "," | "?" | ":" | "(" | ")" | "[]" | "|" | "end" | "bad";

export interface Token {
  readonly kind: TokenKind;
  /** For "name": the identifier; for "string": the unescaped content; for "number": the digits. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const SINGLE: Record<string, TokenKind> = { ",": ",", "?": "?", ":": ":", "(": "(", ")": ")", "|": "|" };

function readString(source: string, start: number): Token {
  let text = "";
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === "\\" && i + 1 < source.length) {
      text += source[++i];
    } else if (c === '"') {
      return { kind: "string", text, start, end: i + 1 };
    } else {
      text += c;
    }
  }
  throw new SignatureSyntaxError(source, source.length, `a closing quote (") for the text that starts at position ${start}`);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && source[i + 1] === ">") {
      tokens.push({ kind: "arrow", text: "->", start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === "[" && source[i + 1] === "]") {
      tokens.push({ kind: "[]", text: "[]", start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '"') {
      const token = readString(source, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const single = SINGLE[c];
    if (single) {
      tokens.push({ kind: single, text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const matched = match(NAME, source, i, "name") ?? match(NUMBER, source, i, "number");
    if (matched) {
      tokens.push(matched);
      i = matched.end;
      continue;
    }
    tokens.push({ kind: "bad", text: c, start: i, end: i + 1 });
    i++;
  }
  tokens.push({ kind: "end", text: "", start: source.length, end: source.length });
  return tokens;
}

function match(re: RegExp, source: string, at: number, kind: TokenKind): Token | undefined {
  re.lastIndex = at;
  const m = re.exec(source);
  return m ? { kind, text: m[0], start: at, end: at + m[0].length } : undefined;
}

/** Checks parentheses outside quoted text before parsing, so an unbalanced one is reported where it is. */
export function checkParentheses(source: string): void {
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(") open.push(i);
    else if (c === ")" && open.pop() === undefined) {
      throw new SignatureSyntaxError(source, i, `a "(" before this ")" (it closes nothing)`);
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    throw new SignatureSyntaxError(source, source.length, `")" for the "(" opened at position ${unclosed}`);
  }
}
