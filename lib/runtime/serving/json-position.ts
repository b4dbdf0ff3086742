// Where a JSON text goes wrong. JSON.parse's messages do not always give a position, so after it
// fails (never on the success path) this scanner walks the text again and reports the first
// offending character with its offset, line and column. Iterative: deep nesting cannot overflow.

export interface JsonSyntaxProblem {
  /** 0-based offset of the offending character (the text's length at an unexpected end). */
  readonly position: number;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  /** e.g. `unexpected "}" where a value was expected`. */
  readonly message: string;
}

type Expect = "value" | "valueOrEnd" | "key" | "keyOrEnd" | "colon" | "commaOrEnd" | "done";

const WANTED: Record<Expect, string> = {
  value: "a value",
  valueOrEnd: 'a value or "]"',
  key: "a property name in double quotes",
  keyOrEnd: 'a property name in double quotes or "}"',
  colon: '":"',
  commaOrEnd: '"," or the end of the array or object',
  done: "the end of the text",
};

class Stop {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

function found(text: string, at: number): string {
  return at >= text.length ? "end of input" : JSON.stringify(text[at]);
}

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new Stop(i, "a control character (such as a raw line break) inside a string; escape it, e.g. \\n");
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'a bad "\\u" escape: it needs 4 hex digits');
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Stop(i, `a bad escape "\\${e ?? ""}" inside a string`);
      i += 2;
      continue;
    }
    i++;
  }
  throw new Stop(text.length, "a string that is never closed (missing \")");
}

function scanNumber(text: string, start: number): number {
  const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(start, start + 400));
  if (!m) throw new Stop(start, `unexpected ${found(text, start)} where a value was expected`);
  const end = start + m[0].length;
  const next = text[end];
  if (next !== undefined && /[0-9.eE+-]/.test(next)) throw new Stop(end, `a malformed number (unexpected ${found(text, end)})`);
  return end;
}

function scanValue(text: string, i: number, stack: number[]): { next: number; expect: Expect } {
  const c = text[i];
  if (c === "{") return stack.push(1), { next: i + 1, expect: "keyOrEnd" };
  if (c === "[") return stack.push(0), { next: i + 1, expect: "valueOrEnd" };
  let next: number;
  if (c === '"') next = scanString(text, i);
  else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) next = scanNumber(text, i);
  else {
    const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
    if (!word) throw new Stop(i, `unexpected ${found(text, i)} where a value was expected`);
    next = i + word.length;
  }
  return { next, expect: stack.length === 0 ? "done" : "commaOrEnd" };
}

function walk(text: string): void {
  const stack: number[] = [];
  let expect: Expect = "value";
  let i = 0;
  for (;;) {
    i = skipWs(text, i);
    if (i >= text.length) {
      if (expect === "done") return;
      throw new Stop(i, `unexpected end of input where ${WANTED[expect]} was expected`);
    }
    const c = text[i];
    if (expect === "done") throw new Stop(i, `unexpected ${found(text, i)} after the end of the JSON value`);
    if ((expect === "valueOrEnd" && c === "]") || (expect === "keyOrEnd" && c === "}")) {
      stack.pop();
      i++;
      expect = stack.length === 0 ? "done" : "commaOrEnd";
    } else if (expect === "value" || expect === "valueOrEnd") {
      ({ next: i, expect } = scanValue(text, i, stack));
    } else if (expect === "key" || expect === "keyOrEnd") {
      if (c !== '"') throw new Stop(i, `unexpected ${found(text, i)} where ${WANTED[expect]} was expected`);
      i = scanString(text, i);
      expect = "colon";
    } else if (expect === "colon") {
      if (c !== ":") throw new Stop(i, `unexpected ${found(text, i)} where ${WANTED.colon} was expected`);
      i++;
      expect = "value";
    } else {
      const inObject = stack[stack.length - 1] === 1;
      if (c === ",") expect = inObject ? "key" : "value";
      else if (c === (inObject ? "}" : "]")) {
        stack.pop();
        expect = stack.length === 0 ? "done" : "commaOrEnd";
      } else throw new Stop(i, `unexpected ${found(text, i)} where "," or "${inObject ? "}" : "]"}" was expected`);
      i++;
    }
  }
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function findJsonError(text: string): JsonSyntaxProblem | undefined {
  try {
    walk(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < err.at && k < text.length; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    return { position: err.at, line, column: err.at - lineStart + 1, message: err.message };
  }
}
