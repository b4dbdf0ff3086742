import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerBuild } from "../../scripts/ensure-build";

// The compiled `dspex` command, run as a user runs it: child processes in a folder outside the
// repository, each with its own data directory, on the demo model.
const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "dist", "lib", "cli", "main.js");

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("the dspex command line", () => {
  let dir: string;

  const dspex = async (args: string[], dataDir = "data"): Promise<Result> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { ...process.env, DSPEX_DATA_DIR: path.join(dir, dataDir), DSPEX_DEMO_LATENCY_MS: "0", LOG_LEVEL: "error", DSPEX_LM_BASE_URL: "" },
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };
  const json = <T>(r: Result): T => {
    expect(r.stderr, r.stderr).not.toMatch(/dspex: /);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-cli-"));
    await ensureServerBuild();
  }, 600_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("init → run → eval → optimize with a budget → export → import into a fresh data directory → run gives the same output", async () => {
    expect((await dspex(["init"])).code).toBe(0);
    const program = "programs/sentiment.ts";
    const input = JSON.stringify({ review: "It is fine, average, as described." });

    const first = json<{ output: { sentiment: string }; version: { number: number } }>(await dspex(["--json", "run", program, "--input", input]));
    expect(first.version.number).toBe(1);
    expect(["positive", "negative", "neutral"]).toContain(first.output.sentiment);

    const evaluated = json<{ n: number; mean: number; ci95: { low: number; high: number } }>(await dspex(["--json", "eval", program]));
    expect(evaluated.n).toBe(6);
    expect(evaluated.mean).toBeGreaterThanOrEqual(0);
    expect(evaluated.ci95.low).toBeLessThanOrEqual(evaluated.mean);

    const optimized = json<{ status: string; spent: { lmCalls: number }; budget: { lmCalls: number }; appliedVersion: number | null; link: string }>(
      await dspex(["--json", "optimize", program, "--budget", "calls=120"]),
    );
    expect(optimized.status).toBe("completed");
    expect(optimized.spent.lmCalls).toBeLessThanOrEqual(120);
    expect(optimized.link).toMatch(/\/optimizations\//);
    const active = optimized.appliedVersion ?? 1;

    const after = json<{ output: { sentiment: string }; version: { number: number } }>(await dspex(["--json", "run", program, "--input", input]));
    expect(after.version.number).toBe(active);

    expect((await dspex(["export", "everything.json"])).code).toBe(0);
    const exported = JSON.parse(await readFile(path.join(dir, "everything.json"), "utf8")) as { programs: { name: string; code: unknown; versions: unknown[] }[]; datasets: { name: string }[] };
    const sentiment = exported.programs.find((p) => p.name === "sentiment")!;
    expect(sentiment.code).toMatchObject({ file: "sentiment.ts" });
    expect(sentiment.versions).toHaveLength(active);
    expect(exported.datasets.map((d) => d.name)).toContain("sentiment");

    const imported = await dspex(["import", "everything.json"], "fresh");
    expect(imported.code, imported.stderr).toBe(0);
    const again = json<{ output: { sentiment: string }; version: { number: number } }>(await dspex(["--json", "run", program, "--input", input], "fresh"));
    expect(again.version.number).toBe(active);
    expect(again.output).toEqual(after.output);
  }, 600_000);

  it("says what is wrong, with exit codes that mean something", async () => {
    const typo = await dspex(["optimize", "programs/sentiment.ts", "--budget", "cals=10"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown key "cals"; did you mean "calls"\?/);
    const missing = await dspex(["run", "nope", "--input", "{}"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/program "nope" not found/);
    const help = await dspex(["optimize", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--budget <spec>/);
  }, 120_000);
});
