// A route renamed, a body field renamed or a path parameter renamed in the route table must fail
// the type check of the browser code that calls it: the table is patched in memory (a scratch
// copy) and a real caller is type-checked against it with the project's own compiler options.
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CALLER = path.join(ROOT, "components/datasets/split-dialog.tsx");

interface Patch {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

function compilerOptions(): ts.CompilerOptions {
  const file = path.join(ROOT, "tsconfig.json");
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined };
}

describe("the browser's calls follow the route table", () => {
  const options = compilerOptions();
  // Parsed files shared between the checks (lib.d.ts, React, zod...), so each check only re-binds.
  const parsed = new Map<string, ts.SourceFile>();

  function errorsIn(caller: string, patch?: Patch): string[] {
    const host = ts.createCompilerHost(options, true);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language, onError) => {
      const resolved = path.resolve(fileName);
      if (patch && resolved === path.join(ROOT, patch.file)) {
        const text = ts.sys.readFile(resolved)!;
        if (!text.includes(patch.from)) throw new Error(`${patch.file} no longer contains ${JSON.stringify(patch.from)}: update this test`);
        return ts.createSourceFile(fileName, text.replace(patch.from, patch.to), language, true);
      }
      let file = parsed.get(resolved);
      if (!file) {
        file = read(fileName, language, onError);
        if (file) parsed.set(resolved, file);
      }
      return file;
    };
    const program = ts.createProgram({ rootNames: [caller], options, host });
    return program.getSemanticDiagnostics(program.getSourceFile(caller)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  let unchanged: string[];
  beforeAll(() => {
    unchanged = errorsIn(CALLER);
  }, 300_000);

  it("type-checks the caller as it is", () => {
    expect(unchanged).toEqual([]);
  });

  it("fails when the route is renamed", () => {
    const errors = errorsIn(CALLER, { file: "lib/api/routes/datasets.ts", from: "splitDatasetVersion: route({", to: "splitDatasetVersionRenamed: route({" });
    expect(errors.join("\n")).toMatch(/Property 'splitDatasetVersion' does not exist/);
  }, 300_000);

  it("fails when a field of the route's body is renamed", () => {
    const errors = errorsIn(CALLER, { file: "lib/schemas/datasets.ts", from: 'validationFraction: fraction("validationFraction")', to: 'validFraction: fraction("validFraction")' });
    expect(errors.join("\n")).toMatch(/validationFraction/);
  }, 300_000);

  it("fails when a path parameter is renamed", () => {
    const errors = errorsIn(CALLER, { file: "lib/schemas/datasets.ts", from: "DatasetVersionParamsSchema = z.object({ name: z.string(), versionId: z.string() })", to: "DatasetVersionParamsSchema = z.object({ name: z.string(), version: z.string() })" });
    expect(errors.join("\n")).toMatch(/versionId/);
  }, 300_000);
});
