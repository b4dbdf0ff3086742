import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findCycles, importGraph } from "./import-cycles";

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A scratch project: a tsconfig and the given files. */
function project(files: Readonly<Record<string, string>>): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dspex-cycles-"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", strict: true, paths: { "@/*": ["./*"] } }, include: ["**/*.ts"] }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const check = (root: string) => findCycles(importGraph(path.join(root, "tsconfig.json"), () => true), root);

describe("the import cycle check", () => {
  it("finds files importing each other through values, and the folders they sit in", () => {
    const root = project({
      "lib/runtime/runtime.ts": 'import { jobs } from "./jobs";\nexport const runtime = () => jobs;\n',
      "lib/runtime/jobs.ts": 'import { emitter } from "@/lib/realtime/emitter";\nimport { runtime } from "./runtime";\nexport const jobs = [runtime, emitter];\n',
      "lib/realtime/emitter.ts": 'import type { jobs } from "../runtime/jobs";\nexport const emitter = (j: typeof jobs) => j;\n',
    });
    expect(check(root)).toEqual({ files: [["lib/runtime/jobs.ts", "lib/runtime/runtime.ts"]], folders: [["lib/realtime", "lib/runtime"]] });
  });

  it("passes type-only and lazy imports between files, and layers that point one way", () => {
    const root = project({
      "lib/runtime/a.ts": 'import type { B } from "./b";\nexport type A = { b?: B };\nexport const loadB = () => import("./b");\n',
      "lib/runtime/b.ts": 'import { type A } from "./a";\nimport { one } from "../schemas/one";\nexport type B = { a?: A };\nexport const b = one;\n',
      "lib/schemas/one.ts": "export const one = 1;\n",
    });
    expect(check(root)).toEqual({ files: [], folders: [] });
  });
});
