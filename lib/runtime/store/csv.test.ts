import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv } from "./index";

describe("parseCsv (RFC 4180)", () => {
  it("reads plain records with CRLF or LF endings and keeps each record's line", () => {
    expect(parseCsv("a,b\r\n1,2\n3,4\n")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
      { line: 3, fields: ["3", "4"] },
    ]);
  });

  it("reads quoted fields holding commas, doubled quotes and line breaks", () => {
    const records = parseCsv('q,a\n"Hello, world","She said ""hi"""\n"two\r\nlines",x\nlast,""\n');
    expect(records[1]).toEqual({ line: 2, fields: ["Hello, world", 'She said "hi"'] });
    expect(records[2]).toEqual({ line: 3, fields: ["two\r\nlines", "x"] });
    // The record after a quoted line break starts on the next physical line.
    expect(records[3]).toEqual({ line: 5, fields: ["last", ""] });
  });

  it("keeps empty fields, skips blank lines, drops a byte-order mark, needs no final newline", () => {
    expect(parseCsv("\uFEFFa,,c\n\n,\nz")).toEqual([
      { line: 1, fields: ["a", "", "c"] },
      { line: 3, fields: ["", ""] },
      { line: 4, fields: ["z"] },
    ]);
  });

  it("reports an unclosed quote at the line where the field starts", () => {
    expect(() => parseCsv('a\n"never\nclosed')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a\nok\n"never\nclosed');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(3);
      expect((err as Error).message).toMatch(/never closed/);
    }
  });

  it("reports text after a closing quote", () => {
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
  });
});
