import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoLM, evaluate } from "../../dspex";
import { defineServedProgram, loadProgramRegistry, type ProgramRegistry } from "./index";

const LIB = path.resolve(import.meta.dirname, "../..");
const header = `import { Predict } from ${JSON.stringify(path.join(LIB, "dspex/index.ts"))};
import { defineServedProgram } from ${JSON.stringify(path.join(LIB, "runtime/programs/index.ts"))};
`;
const served = (name: string, extra = "") => `${header}export default defineServedProgram({ name: ${JSON.stringify(name)}, program: new Predict("question -> answer")${extra} });\n`;

describe("loading the program registry", () => {
  let dir: string;
  let registry: ProgramRegistry;
  const logged: { level: string; obj: object; msg: string }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-programs-"));
    const files: Record<string, string> = {
      "good.ts": served("good", `, description: "a good one", variables: { temperature: [0, 1] }, dataset: [{ inputs: { question: "q" }, outputs: { answer: "a" }, split: "validation" }], metric: () => 1`),
      "broken.ts": `${header}export default defineServedProgram({ name: "broken", program: new Predict("q -> a") ;\n`,
      "throws.ts": `${header}throw new Error("kaboom at import");\n`,
      "wrong-export.ts": "export default 42;\n",
      "mismatch.ts": served("other-name"),
      "qa.ts": served("qa"),
      "bad-variables.ts": served("bad-variables", `, variables: { steps: ["nope"] }`),
      "_helper.ts": "export const helper = 1;\n",
      "good.test.ts": "throw new Error('tests are not programs');\n",
      "README.md": "# not code\n",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    const log = {
      info: (obj: object, msg: string) => logged.push({ level: "info", obj, msg }),
      error: (obj: object, msg: string) => logged.push({ level: "error", obj, msg }),
    };
    registry = await loadProgramRegistry({ dir, root: dir, log });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("serves the demos, marked as demos, and the good file; skips helpers, tests and other files", () => {
    expect(registry.programs.map((p) => [p.name, p.kind, p.source])).toEqual([
      ["qa", "demo", "demo:qa"],
      ["classify", "demo", "demo:classify"],
      ["arithmetic", "demo", "demo:arithmetic"],
      ["good", "user", "good.ts"],
    ]);
    const good = registry.require("good");
    expect(good.description).toBe("a good one");
    expect(good.space.names).toEqual(["instructions", "demos", "temperature"]);
    expect(good.space.get("temperature")!.domain).toMatchObject({ low: 0, high: 1 });
    expect(good.dataset).toEqual([{ inputs: { question: "q" }, outputs: { answer: "a" }, split: "validation" }]);
    expect(good.signature?.toString()).toBe("question -> answer");
    expect(registry.require("qa").description).toMatch(/^Demo: /);
    expect(() => registry.require("missing")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });

  it("reports every broken file with its path and error, and logs it", () => {
    const byPath = Object.fromEntries(registry.errors.map((e) => [e.path, e.message]));
    expect(Object.keys(byPath).sort()).toEqual(["bad-variables.ts", "broken.ts", "mismatch.ts", "qa.ts", "throws.ts", "wrong-export.ts"]);
    expect(byPath["broken.ts"]).toMatch(/^cannot be loaded: /);
    expect(byPath["throws.ts"]).toMatch(/kaboom at import/);
    expect(byPath["wrong-export.ts"]).toMatch(/must default-export defineServedProgram/);
    expect(byPath["mismatch.ts"]).toMatch(/defines the program "other-name"/);
    expect(byPath["qa.ts"]).toMatch(/taken by a bundled demo/);
    expect(byPath["bad-variables.ts"]).toMatch(/"variables".*no step "nope"/);
    expect(logged.filter((l) => l.level === "error").map((l) => (l.obj as { path: string }).path).sort()).toEqual(Object.keys(byPath).sort());
    expect(logged.find((l) => l.level === "info")?.msg).toBe("program loaded");
  });

  it("loads the project's programs/ folder, whose example runs on the demo model", async () => {
    const project = await loadProgramRegistry({ dir: path.resolve(LIB, "../programs"), demos: false });
    expect(project.errors).toEqual([]);
    const example = project.require("review-sentiment");
    expect(example.source).toBe("programs/review-sentiment.ts");
    const validation = example.dataset.filter((e) => e.split === "validation");
    expect(validation.length).toBeGreaterThan(0);
    const report = await evaluate(example.program, validation, example.metric!, { lm: createDemoLM({ seed: 1 }) });
    expect(report.errors).toBe(0);
    expect(report.mean).toBeGreaterThanOrEqual(0.5);
  });

  it("a missing folder holds no programs", async () => {
    const empty = await loadProgramRegistry({ dir: path.join(tmpdir(), "dspex-no-such-dir"), demos: false });
    expect(empty.programs).toEqual([]);
    expect(empty.errors).toEqual([]);
  });
});

describe("reloading the registry", () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("imports changed files afresh, keeps a broken file's last good program, names the line, and logs each failure once", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-reload-"));
    const file = path.join(dir, "good.ts");
    const program = (extra = "", instructions = "First.") => `${header}const instructions: string = ${JSON.stringify(instructions)};\n${extra}\nexport default defineServedProgram({ name: "good", program: new Predict("question -> answer", { instructions }) });\n`;
    await writeFile(file, program());
    const errors: string[] = [];
    const log = { info: () => {}, error: (_: object, msg: string) => void errors.push(msg) };
    const logged = new Set<string>();
    const first = await loadProgramRegistry({ dir, root: dir, demos: false, log, logged });
    expect(first.require("good").space.defaults()).toMatchObject({ instructions: "First." });

    await writeFile(file, program("", "Second."));
    const second = await loadProgramRegistry({ dir, root: dir, demos: false, log, logged, reload: { generation: 1, previous: first } });
    expect(second.require("good").space.defaults()).toMatchObject({ instructions: "Second." });

    await writeFile(file, program(`const n: number = 1;\nif (n > 0) throw new Error("half-finished");`));
    for (const generation of [2, 3]) {
      const broken = await loadProgramRegistry({ dir, root: dir, demos: false, log, logged, reload: { generation, previous: second } });
      expect(broken.require("good")).toBe(second.require("good"));
      expect(broken.errors).toMatchObject([{ path: "good.ts", line: 5, column: 18, message: expect.stringMatching(/half-finished/), servingPrevious: ["good"] }]);
    }
    expect(errors).toEqual([expect.stringMatching(/^program skipped: good\.ts:5:18: cannot be loaded: half-finished \(its last good code keeps serving\)$/)]);

    await writeFile(file, program().replace("new Predict(", "new Predict(("));
    const syntax = await loadProgramRegistry({ dir, root: dir, demos: false, reload: { generation: 4, previous: second } });
    expect(syntax.errors).toMatchObject([{ path: "good.ts", line: 5 }]);
  });
});

describe("defineServedProgram", () => {
  it("names the field at fault", () => {
    expect(() => defineServedProgram({ name: "Bad Name", program: {} as never })).toThrow(/"name" must start with a lowercase letter/);
    expect(() => defineServedProgram({ name: "ok", program: {} as never })).toThrow(/"program" must be a Module/);
    expect(() => defineServedProgram({ name: "ok", program: undefined as never, dataset: [] })).toThrow(expect.objectContaining({ code: "PROGRAM_INVALID" }));
  });
});
