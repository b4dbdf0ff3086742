// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas,
// quotes ("" inside quotes) and line breaks, CRLF or LF record ends. Each record keeps the line
// it starts on, for error messages. Blank lines are skipped; a leading byte-order mark is dropped.

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
  }
}

/** Every record of a CSV text. Throws CsvSyntaxError for an unterminated or misplaced quote. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let atFieldStart = true;
  let recordEmpty = true;

  const endField = () => {
    fields.push(field);
    field = "";
    atFieldStart = true;
  };
  const endRecord = () => {
    if (!(recordEmpty && fields.length === 0 && field === "")) {
      endField();
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = "";
    atFieldStart = true;
    recordEmpty = true;
  };

  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' && atFieldStart) {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(startLine, "a quoted field is never closed; end it with a double quote (write a quote inside quotes as \"\")");
        const c = src[i]!;
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\r" && src[i + 1] === "\n") {
          field += "\r\n";
          i += 2;
          line++;
          continue;
        }
        if (c === "\n" || c === "\r") line++;
        field += c;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw new CsvSyntaxError(line, `unexpected ${JSON.stringify(next)} after a closing quote; a quoted field must end at a comma or the end of the line`);
      }
      atFieldStart = false;
      recordEmpty = false;
      continue;
    }
    if (ch === ",") {
      endField();
      recordEmpty = false;
      i++;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      endRecord();
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    atFieldStart = false;
    recordEmpty = false;
    i++;
  }
  endRecord();
  return records;
}
