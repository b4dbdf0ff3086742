import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerBuild } from "../../../scripts/ensure-build";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CHILD = path.join(import.meta.dirname, "testing", "load-outside-programs.mjs");

// A folder outside the repository, without node_modules: the program imports only dspex and zod,
// a helper without its extension, and re-exports its zod so the test can compare instances.
const PROGRAM = `import { Predict, defineSignature } from "dspex";
import { defineServedProgram } from "dspex/runtime";
import { z } from "zod";
import { instructions } from "./_shared";

export { z as zod };
const signature = defineSignature({ instructions, inputs: { question: z.string() }, outputs: { answer: z.string() } });
export default defineServedProgram({ name: "outside", program: new Predict(signature) });
`;
const HELPER = `export const instructions: string = "Answer in one sentence.";\n`;
const BROKEN = `import { Predict } from "dspex";\nexport default new Predict("q -> a"\n`;

interface Loaded {
  programs: string[];
  errors: string[];
  sameZod: boolean;
  samePredict: boolean;
  answered: boolean;
}

/** Runs the child from `cwd` (the compiled server needs no project around it; tsx is found from the repository). */
async function load(args: string[], dir: string, cwd = tmpdir()): Promise<Loaded> {
  const { stdout } = await promisify(execFile)(process.execPath, [...args, dir, "outside.ts"], { cwd, env: { ...process.env, LOG_LEVEL: "silent" } });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Loaded;
}

describe("programs outside the repository", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-outside-programs-"));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "outside.ts"), PROGRAM);
    await writeFile(path.join(dir, "_shared.ts"), HELPER);
    await writeFile(path.join(dir, "broken.ts"), BROKEN);
    await ensureServerBuild();
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("load in the compiled server on plain Node, with the server's dspex and zod", async () => {
    const loaded = await load([CHILD, "dist"], dir);
    expect(loaded.programs).toEqual(["outside"]);
    expect(loaded.sameZod).toBe(true);
    expect(loaded.samePredict).toBe(true);
    expect(loaded.answered).toBe(true);
    // A syntax error is reported with its file and line, and the other programs load.
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatch(/broken\.ts: cannot be loaded: .*broken\.ts:3/s);
  });

  it("load from the sources (npm run dev) with the same instances", async () => {
    const loaded = await load(["--import", "tsx", CHILD, "sources"], dir, ROOT);
    expect(loaded.programs).toEqual(["outside"]);
    expect(loaded.sameZod).toBe(true);
    expect(loaded.samePredict).toBe(true);
    expect(loaded.answered).toBe(true);
  });

  it("the repository's own programs import dspex too", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CHILD, "dist", path.join(ROOT, "programs"), "review-sentiment.ts", '{"review":"Works well, would recommend."}'], { cwd: ROOT });
    const loaded = JSON.parse(stdout.trim().split("\n").pop()!) as Loaded;
    expect(loaded.programs).toEqual(["review-sentiment"]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.samePredict).toBe(true);
    expect(loaded.answered).toBe(true);
  });
});
