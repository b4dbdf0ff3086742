// What a command prints: lines for people, or one JSON document with --json (for scripts).
export interface Output {
  readonly json: boolean;
  /** The result: `value` as JSON with --json, else `human` (lines). */
  result(value: unknown, human: () => string): void;
  /** Progress and notes for people (stderr, never mixed into --json output). */
  note(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    note(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}

/** `name: value` lines for a record of outputs. */
export function fieldLines(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("\n");
}
