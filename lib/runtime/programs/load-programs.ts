// Loading the registry at start-up: the bundled demos, then every programs/<name>.ts through a
// dynamic import (how TypeScript and `dspex` imports load there is set up by program-imports). A
// file that fails to load, exports something else, or clashes with another program's name is
// reported with its path and error and skipped. Files that declare an agent system, or only
// export skills and actions, are not programs.
// Reloading (the watcher) imports every file again under a new generation, and a file that fails
// then keeps serving the programs it served before.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isAgentSystem } from "../agents/systems/define-agent-system";
import { isServedProgram } from "./define-served-program";
import { demoPrograms } from "./demo-programs";
import { locateLoadError } from "./load-error-location";
import { createProgramRegistry, formatLoadError, programNameOfFile, registerProgram, type ProgramLoadError, type ProgramRegistry, type RegisteredProgram } from "./registry";

export interface LoadProgramsOptions {
  /** The folder of user programs (default: ./programs of the working directory). A missing folder holds none. */
  readonly dir?: string;
  /** Serve the bundled demo tasks (default true). */
  readonly demos?: boolean;
  /** Paths in reports are relative to this (default: the working directory). */
  readonly root?: string;
  /** How long one file may take to load (default 15 s). */
  readonly importTimeoutMs?: number;
  readonly log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /**
   * A reload: files are imported afresh (with their relative imports) under this number, and a
   * file that fails keeps the programs `previous` served from it.
   */
  readonly reload?: { readonly generation: number; readonly previous: ProgramRegistry };
  /** Failures already logged (by path, line and message): each is logged once across reloads. */
  readonly logged?: Set<string>;
}

const PROGRAM_FILE = /^[^._].*\.(ts|mts|js|mjs)$/;
const NOT_PROGRAM = /\.(test|spec|test-d)\.[mc]?[jt]s$|\.d\.[mc]?ts$/;

export const DEFAULT_PROGRAMS_DIR = path.resolve(process.cwd(), "programs");

/** The registry of demos and user programs. Never throws for a bad program file: see `errors`. */
export async function loadProgramRegistry(options: LoadProgramsOptions = {}): Promise<ProgramRegistry> {
  const dir = path.resolve(options.dir ?? DEFAULT_PROGRAMS_DIR);
  const root = options.root ?? process.cwd();
  const shown = (file: string) => {
    const rel = path.relative(root, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/");
  };
  const programs: RegisteredProgram[] = options.demos === false ? [] : demoPrograms();
  const errors: ProgramLoadError[] = [];
  const kept = (file: string) => options.reload?.previous.programs.filter((p) => p.kind === "user" && p.source === shown(file)) ?? [];
  const fail = async (file: string, message: string, cause: unknown) => {
    const at = await locateLoadError(cause, file);
    const keeps = kept(file);
    for (const p of keeps) if (!programs.some((q) => q.name === p.name)) programs.push(p);
    const error: ProgramLoadError = { path: shown(file), ...(at && { line: at.line, column: at.column }), message, cause, ...(keeps.length > 0 && { servingPrevious: keeps.map((p) => p.name) }) };
    errors.push(error);
    const key = loadErrorKey(error);
    if (options.logged?.has(key)) return;
    options.logged?.add(key);
    options.log?.error({ path: error.path, line: error.line, column: error.column, err: cause }, `program skipped: ${formatLoadError(error)}${keeps.length > 0 ? " (its last good code keeps serving)" : ""}`);
  };
  const query = options.reload ? `?reload=${options.reload.generation}` : "";

  let files: string[] = [];
  try {
    files = await programFiles(dir);
  } catch (err) {
    await fail(dir, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  for (const file of files) {
    let exported: unknown;
    let mod: Record<string, unknown>;
    try {
      mod = (await withTimeout(import(pathToFileURL(file).href + query), options.importTimeoutMs ?? 15_000, file)) as Record<string, unknown>;
      exported = mod.default;
    } catch (err) {
      await fail(file, `cannot be loaded: ${err instanceof Error ? err.message : String(err)}`, err);
      continue;
    }
    // Agent systems and skill files live here too; they are not programs.
    if (isAgentSystem(exported) || (exported === undefined && ("skills" in mod || "actions" in mod))) continue;
    if (!isServedProgram(exported)) {
      await fail(file, "must default-export defineServedProgram({ name, program, ... }) from dspex/runtime", undefined);
      continue;
    }
    const base = programNameOfFile(file);
    if (exported.name !== base) {
      await fail(file, `defines the program "${exported.name}"; name the file ${exported.name}${path.extname(file)} or the program "${base}"`, undefined);
      continue;
    }
    const taken = programs.find((p) => p.name === exported.name);
    if (taken) {
      await fail(file, `the name "${exported.name}" is taken by ${taken.kind === "demo" ? "a bundled demo" : taken.source}; choose another name`, undefined);
      continue;
    }
    try {
      programs.push(registerProgram(exported, "user", shown(file)));
      if (!options.reload) options.log?.info({ program: exported.name, path: shown(file) }, "program loaded");
    } catch (err) {
      await fail(file, err instanceof Error ? err.message : String(err), err);
    }
  }
  return createProgramRegistry(programs, errors);
}

/** How a failure is known across reloads (to log it once). */
export function loadErrorKey(error: Pick<ProgramLoadError, "path" | "line" | "message">): string {
  return `${error.path}:${error.line ?? ""}:${error.message}`;
}

async function programFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names
    .filter((n) => PROGRAM_FILE.test(n) && !NOT_PROGRAM.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

function withTimeout<T>(promise: Promise<T>, ms: number, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${path.basename(file)} did not finish loading within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
