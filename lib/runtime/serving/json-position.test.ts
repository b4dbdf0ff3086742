import { describe, expect, it } from "vitest";
import { createRng } from "../../dspex";
import { findJsonError } from "./index";

describe("findJsonError", () => {
  it("names the first offending character with its offset, line and column", () => {
    const cases: [string, number, string][] = [
      ['{"a": }', 6, 'unexpected "}" where a value was expected'],
      ['{"a": 1,}', 8, 'unexpected "}" where a property name in double quotes was expected'],
      ["[1, 2", 5, 'unexpected end of input where "," or the end of the array or object was expected'],
      ['{"a" 1}', 5, 'unexpected "1" where ":" was expected'],
      ["{a: 1}", 1, 'unexpected "a" where a property name in double quotes or "}" was expected'],
      ['{"a": tru}', 6, 'unexpected "t" where a value was expected'],
      ['{"a": 01}', 7, 'a malformed number (unexpected "1")'],
      ['{"a": "x\ny"}', 8, "a control character (such as a raw line break) inside a string; escape it, e.g. \\n"],
      ['{"a": "\\q"}', 7, 'a bad escape "\\q" inside a string'],
      ['{"a": "open', 11, 'a string that is never closed (missing ")'],
      ['{"a": 1} x', 9, 'unexpected "x" after the end of the JSON value'],
      ["[1 2]", 3, 'unexpected "2" where "," or "]" was expected'],
      ["", 0, "unexpected end of input where a value was expected"],
    ];
    for (const [text, position, message] of cases) {
      expect(findJsonError(text), text).toMatchObject({ position, message });
      expect(() => JSON.parse(text), text).toThrow();
    }
    expect(findJsonError('{\n  "a": 1,\n  "b": ]\n}')).toEqual({ position: 19, line: 3, column: 8, message: 'unexpected "]" where a value was expected' });
  });

  it("accepts exactly what JSON.parse accepts (random mutations of valid documents)", () => {
    const rng = createRng(1);
    const seeds = ['{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"], "b": {"c": {}}, "d": []}', "[0, 1.0, -0, 1e+2, \"\\\"\"]", ' "s" ', "123", '{"deep": [[[[{"k": false}]]]]}'];
    const alphabet = ['"', "{", "}", "[", "]", ",", ":", " ", "1", "-", ".", "e", "\\", "t", "n", "\n", "x"];
    let invalid = 0;
    for (let i = 0; i < 4000; i++) {
      const chars = [...seeds[i % seeds.length]!];
      const edits = 1 + Math.floor(rng.next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rng.next() * (chars.length + 1));
        const op = rng.next();
        const ch = alphabet[Math.floor(rng.next() * alphabet.length)]!;
        if (op < 0.4) chars.splice(at, 0, ch);
        else if (op < 0.7) chars.splice(at, 1);
        else chars[Math.min(at, chars.length - 1)] = ch;
      }
      const text = chars.join("");
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
        invalid++;
      }
      expect(findJsonError(text) === undefined, text).toBe(valid);
    }
    expect(invalid).toBeGreaterThan(1000);
  });

  it("does not overflow on deep nesting", () => {
    expect(findJsonError("[".repeat(200_000))).toMatchObject({ position: 200_000 });
    expect(findJsonError(`${"[".repeat(50_000)}${"]".repeat(50_000)}`)).toBeUndefined();
  });
});
