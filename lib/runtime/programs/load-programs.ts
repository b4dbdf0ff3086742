// Loading the registry at start-up: the bundled demos, then every programs/<name>.ts through a
// dynamic import (the server runs under tsx). A file that fails to load, exports something else,
// or clashes with another program's name is reported with its path and error and skipped.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isServedProgram } from "./define-served-program";
import { demoPrograms } from "./demo-programs";
import { createProgramRegistry, registerProgram, type ProgramLoadError, type ProgramRegistry, type RegisteredProgram } from "./registry";

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
  const fail = (file: string, message: string, cause: unknown) => {
    const error = { path: shown(file), message, cause };
    errors.push(error);
    options.log?.error({ path: error.path, err: cause }, `program ${error.path} skipped: ${message}`);
  };

  let files: string[] = [];
  try {
    files = await programFiles(dir);
  } catch (err) {
    fail(dir, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  for (const file of files) {
    let exported: unknown;
    try {
      const mod = (await withTimeout(import(pathToFileURL(file).href), options.importTimeoutMs ?? 15_000, file)) as { default?: unknown };
      exported = mod.default;
    } catch (err) {
      fail(file, `cannot be loaded: ${err instanceof Error ? err.message : String(err)}`, err);
      continue;
    }
    if (!isServedProgram(exported)) {
      fail(file, "must default-export defineServedProgram({ name, program, ... }) from lib/runtime/programs", undefined);
      continue;
    }
    const base = path.basename(file).replace(/\.[mc]?[jt]s$/, "");
    if (exported.name !== base) {
      fail(file, `defines the program "${exported.name}"; name the file ${exported.name}${path.extname(file)} or the program "${base}"`, undefined);
      continue;
    }
    const taken = programs.find((p) => p.name === exported.name);
    if (taken) {
      fail(file, `the name "${exported.name}" is taken by ${taken.kind === "demo" ? "a bundled demo" : taken.source}; choose another name`, undefined);
      continue;
    }
    try {
      programs.push(registerProgram(exported, "user", shown(file)));
      options.log?.info({ program: exported.name, path: shown(file) }, "program loaded");
    } catch (err) {
      fail(file, err instanceof Error ? err.message : String(err), err);
    }
  }
  return createProgramRegistry(programs, errors);
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
