// Where in a program file its loading failed: the line and column of a syntax error (esbuild and
// Node name them in the message), or of the first stack frame in the file for an error thrown
// while it ran. The compiled server runs without source maps, so a frame's position in the
// compiled code is mapped back to the TypeScript by compiling the file again the way the import
// hooks do (the same input gives the same output) and reading its source map.
import { SourceMap } from "node:module";
import path from "node:path";
import { compileProgramFile } from "../program-imports/compile";

export interface SourceLocation {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function locateLoadError(err: unknown, file: string): Promise<SourceLocation | undefined> {
  if (!(err instanceof Error)) return undefined;
  const name = escape(path.basename(file));
  // esbuild: "<file>:3:0: ERROR: Expected ..." (0-based column); Node's parser: "<file>:3" in the stack head.
  const syntax = new RegExp(`${name}:(\\d+):(\\d+): ERROR`).exec(err.message);
  if (syntax) return { line: Number(syntax[1]), column: Number(syntax[2]) + 1 };
  const frame = new RegExp(`(?:file://)?[^\\s(]*${name}(?:\\?[^:\\s)]*)?:(\\d+):(\\d+)`).exec(err.stack ?? "");
  if (!frame) return undefined;
  const at = { line: Number(frame[1]), column: Number(frame[2]) };
  if (process.sourceMapsEnabled || !/\.[mc]?tsx?$/.test(file)) return at;
  return (await mapCompiled(file, at)) ?? at;
}

async function mapCompiled(file: string, at: SourceLocation): Promise<SourceLocation | undefined> {
  try {
    const compiled = await compileProgramFile(file, "external");
    const entry = new SourceMap(JSON.parse(compiled.map) as ConstructorParameters<typeof SourceMap>[0]).findEntry(at.line - 1, at.column - 1);
    if (!("originalLine" in entry) || entry.originalLine === undefined) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  } catch {
    return undefined;
  }
}

