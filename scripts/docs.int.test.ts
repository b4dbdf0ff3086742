// Runs every code block of docs/**/*.md and the README, as a reader would (scripts/docs-blocks.ts
// says what each kind of block is and how a block says it is not run). Each guide gets a folder
// outside the repository whose only packages are `dspex` (this package, built) and `zod`; its
// blocks run there in order, on the offline demo model or on local stand-in providers, so a guide
// that stops working fails here.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile, chmod } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn, type StandIn } from "../lib/testing";
import { blockProblem, readBlocks, type DocBlock } from "./docs-blocks";
import { ensureBuild } from "./ensure-build";

const ROOT = path.resolve(import.meta.dirname, "..");
const BLOCK_TIMEOUT_MS = 5 * 60_000;

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".md") && !path.join(e.parentPath, e.name).includes(`${path.sep}api${path.sep}`))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const DOCS = [path.join(ROOT, "README.md"), ...(await markdownFiles(path.join(ROOT, "docs")))];
const rel = (file: string) => path.relative(ROOT, file);
const BY_FILE = DOCS.map((file) => ({ file: rel(file), blocks: readBlocks(file).map((b) => ({ ...b, file: rel(file) })) }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Outcome {
  readonly code: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/** Runs a command in its own process group and kills the whole group when it ends (servers a block left running included). */
function run(command: string, args: string[], cwd: string, env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, BLOCK_TIMEOUT_MS);
    child.once("error", reject);
    // A server the block left running holds the output open: end the whole group when the shell ends.
    let exitCode: number | null = null;
    child.once("exit", (code) => {
      exitCode = code;
      killGroup();
    });
    child.once("close", () => {
      clearTimeout(timer);
      resolve({ code: exitCode, output, timedOut });
    });
  });
}

describe("every code block of docs/ and the README", () => {
  let work: string;
  let baseEnv: Record<string, string | undefined>;
  const standIns = new Map<"openai" | "anthropic", StandIn>();

  beforeAll(async () => {
    await ensureBuild(); // dspex serve needs the dashboard too
    work = await mkdtemp(path.join(tmpdir(), "dspex-docs-"));
    // The reader's project: only dspex and zod installed (tsx to run TypeScript), ES modules.
    await mkdir(path.join(work, "node_modules"));
    await symlink(ROOT, path.join(work, "node_modules", "dspex"), "dir");
    for (const pkg of ["zod", "tsx"]) await symlink(path.join(ROOT, "node_modules", pkg), path.join(work, "node_modules", pkg), "dir");
    await writeFile(path.join(work, "package.json"), JSON.stringify({ name: "reader", private: true, type: "module" }));
    // `dspex` on the PATH, as `npm link` puts it.
    await mkdir(path.join(work, "bin"));
    const shim = path.join(work, "bin", "dspex");
    await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, "dist", "lib", "cli", "main.js")}" "$@"\n`);
    await chmod(shim, 0o755);

    baseEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // Nothing of this machine's or the test runner's configuration reaches the reader's shell.
      if (/^(DSPEX_|OPENAI_|ANTHROPIC_|GEMINI_|AZURE_|OPENROUTER_|GROQ_|TOGETHER_|OTEL_|VITEST|NODE_ENV$|NODE_OPTIONS$|DATABASE_URL$|REDIS_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(key)) continue;
      baseEnv[key] = value;
    }
    baseEnv.PATH = `${path.join(work, "bin")}:${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`;
    // Only to keep CI quick: the demo model answers without its simulated latency, and logs stay quiet.
    baseEnv.DSPEX_DEMO_LATENCY_MS = "0";
    baseEnv.LOG_LEVEL = "error";
    // As in the browser tests: a busy test machine would otherwise shed requests with 503 OVERLOADED
    // (the shedding has its own integration test).
    baseEnv.DSPEX_MAX_EVENT_LOOP_LAG_MS = "0";
    baseEnv.NEXT_TELEMETRY_DISABLED = "1";
  }, 900_000);

  afterAll(async () => {
    for (const standIn of standIns.values()) await standIn.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const envFor = async (block: DocBlock): Promise<Record<string, string | undefined>> => {
    const env = { ...baseEnv };
    for (const protocol of block.runAgainst) {
      let standIn = standIns.get(protocol);
      if (!standIn) {
        standIn = await startStandIn({ protocol, models: DEFAULT_STAND_IN_MODELS[protocol], record: false });
        standIns.set(protocol, standIn);
      }
      if (protocol === "openai") Object.assign(env, { OPENAI_BASE_URL: standIn.baseURL, OPENAI_API_KEY: "sk-stand-in" });
      else Object.assign(env, { ANTHROPIC_BASE_URL: standIn.baseURL, ANTHROPIC_API_KEY: "sk-ant-stand-in" });
    }
    return env;
  };

  it("every block runs or says why it does not", () => {
    const problems = BY_FILE.flatMap(({ blocks }) => blocks.map(blockProblem)).filter((p): p is string => p !== null);
    expect(problems).toEqual([]);
    // The guides are there, with blocks that run.
    expect(BY_FILE.filter(({ file }) => file.startsWith("docs/")).length).toBeGreaterThanOrEqual(8);
    expect(BY_FILE.flatMap(({ blocks }) => blocks).filter((b) => b.notRun === undefined && b.kind !== "json").length).toBeGreaterThanOrEqual(12);
  });

  for (const { file, blocks } of BY_FILE) {
    const runnable = blocks.filter((b) => b.notRun === undefined && b.kind !== "other");
    if (runnable.length === 0) continue;
    it(`${file}: its blocks run in order`, async () => {
      const dir = path.join(work, file.replaceAll("/", "_").replace(/\.md$/, ""));
      await mkdir(dir, { recursive: true });
      for (const block of runnable) {
        const where = `${block.file}:${block.line}`;
        if (block.kind === "json") {
          expect(() => JSON.parse(block.code), where).not.toThrow();
          continue;
        }
        const env = await envFor(block);
        let outcome: Outcome;
        if (block.kind === "script") {
          const ext = block.lang.startsWith("j") || block.lang === "mjs" ? "mjs" : "mts";
          const target = block.writeTo ? path.join(dir, block.writeTo) : path.join(dir, `block-${block.line}.${ext}`);
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, `${block.code}\n`);
          outcome = await run(process.execPath, ["--import", "tsx", target], dir, env);
        } else {
          // A block that starts a server on a port gets a free one instead (the same on every line).
          let code = block.code;
          for (const [, port] of block.code.matchAll(/--port[ =](\d+)/g)) {
            code = code.replace(new RegExp(`\\b${port}\\b`, "g"), String(await freePort()));
          }
          outcome = await run("bash", ["-euo", "pipefail", "-c", code], dir, env);
        }
        const says = `${where} (${block.lang}) ${outcome.timedOut ? "timed out" : `exited ${outcome.code}`}:\n${outcome.output.slice(-6000)}`;
        expect(outcome.timedOut, says).toBe(false);
        expect(outcome.code, says).toBe(0);
      }
    }, 30 * 60_000);
  }
});
