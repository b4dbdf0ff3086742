import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerBuild } from "./ensure-build";

const ROOT = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);

const ESM_SCRIPT = `import { createLM, Predict } from "dspex";
import { defineServedProgram, isServedProgram } from "dspex/runtime";
import { arithmeticTask } from "dspex/demos";

const program = new Predict("question -> answer");
const output = await program.run({ question: "What is DSPEx?" }, createLM());
const served = defineServedProgram({ name: "mine", program });
console.log(JSON.stringify({ answer: typeof output.answer, served: isServedProgram(served), examples: arithmeticTask.dataset.train.length > 0 }));
`;

const TYPED = `import { Predict, type Module } from "dspex";
import { defineServedProgram, type ServedProgram } from "dspex/runtime";

const program: Module = new Predict("question -> answer");
export const served: ServedProgram = defineServedProgram({ name: "typed", program });
`;

// Wrong on purpose: each line must be an error if the types are real (an \`any\` would pass).
const MISTYPED = `import { Predict } from "dspex";
import { defineServedProgram } from "dspex/runtime";

export const n: number = new Predict("question -> answer");
export const bad = defineServedProgram({ name: 42, program: new Predict("q -> a") });
`;

const TSCONFIG = { compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] };

describe("the dspex package in a project outside the repository", () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(path.join(tmpdir(), "dspex-user-project-"));
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module", dependencies: { dspex: `file:${ROOT}` } }));
    // What `npm install /path/to/dspex` makes: a link to the folder, whose dependencies stay there.
    await mkdir(path.join(project, "node_modules"));
    await symlink(ROOT, path.join(project, "node_modules", "dspex"), "dir");
    await ensureServerBuild();
  }, 300_000);

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it("imports dspex, dspex/runtime and dspex/demos from plain Node ESM", async () => {
    await writeFile(path.join(project, "main.mjs"), ESM_SCRIPT);
    const { stdout } = await run(process.execPath, ["main.mjs"], { cwd: project });
    expect(JSON.parse(stdout.trim())).toEqual({ answer: "string", served: true, examples: true });
  });

  it("type-checks against the package's declarations from TypeScript (nodenext)", async () => {
    await writeFile(path.join(project, "tsconfig.json"), JSON.stringify(TSCONFIG));
    await writeFile(path.join(project, "typed.ts"), TYPED);
    await writeFile(path.join(project, "mistyped.ts"), MISTYPED);
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", project], { cwd: project }).then(
      () => ({ failed: false, stdout: "" }),
      (err: { stdout: string }) => ({ failed: true, stdout: err.stdout }),
    );
    expect(result.failed).toBe(true);
    const errors = result.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(errors.every((l) => l.startsWith("mistyped.ts"))).toBe(true);
    expect(errors.find((l) => l.startsWith("mistyped.ts(4,"))).toMatch(/Predict.*is not assignable to type 'number'/);
    expect(errors.find((l) => l.startsWith("mistyped.ts(5,"))).toMatch(/number.*is not assignable to type 'string'/);
  });
});
