// The registry of actions and skills: every file of the programs folder that exports `skills` or
// `actions` (arrays or records), then every installed npm package whose package.json declares
// `"dspex": { "skills": "./dist/skills.js" }` (node_modules/* and node_modules/@scope/*): the base
// for third-party skill packages. A file or package that fails to load is reported, never fatal.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { Action } from "./action";
import { describe } from "./errors";
import { isAction, isSkill, type Skill } from "./skill";

export interface LoadSkillsOptions {
  /** The programs folder (default: $DSPEX_PROGRAMS_DIR, else ./programs). A missing folder holds none. */
  readonly programsDir?: string;
  /** The project whose node_modules are scanned (default: the working directory). */
  readonly projectRoot?: string;
  /** Scan installed packages (default true). */
  readonly packages?: boolean;
  /** How long one file may take to load (default 15 s). */
  readonly importTimeoutMs?: number;
}

export interface SkillLoadError {
  /** The file or package at fault. */
  readonly source: string;
  readonly message: string;
}

export interface Registered<T> {
  readonly value: T;
  /** "programs/x.ts" or "npm:<package>". */
  readonly source: string;
}

export interface SkillRegistry {
  readonly skills: ReadonlyMap<string, Registered<Skill>>;
  readonly actions: ReadonlyMap<string, Registered<Action>>;
  readonly errors: readonly SkillLoadError[];
  skill(name: string): Skill | undefined;
  action(name: string): Action | undefined;
}

const FILE = /^[^._].*\.(ts|mts|js|mjs)$/;
const NOT_SOURCE = /\.(test|spec|test-d)\.[mc]?[jt]s$|\.d\.[mc]?ts$/;
const PackageSchema = z.object({ name: z.string(), dspex: z.object({ skills: z.string().min(1) }).optional() });

export async function loadSkillRegistry(options: LoadSkillsOptions = {}): Promise<SkillRegistry> {
  const skills = new Map<string, Registered<Skill>>();
  const actions = new Map<string, Registered<Action>>();
  const errors: SkillLoadError[] = [];
  const timeout = options.importTimeoutMs ?? 15_000;
  const add = (exports: Record<string, unknown>, source: string) => {
    for (const value of listOf(exports.skills)) {
      if (!isSkill(value)) errors.push({ source, message: "`skills` holds something not made with defineSkill()" });
      else if (skills.has(value.name)) errors.push({ source, message: `skill "${value.name}" is already registered by ${skills.get(value.name)!.source}; skipped` });
      else skills.set(value.name, { value, source });
    }
    for (const value of listOf(exports.actions)) {
      if (!isAction(value)) errors.push({ source, message: "`actions` holds something not made with defineAction()" });
      else if (actions.has(value.name)) errors.push({ source, message: `action "${value.name}" is already registered by ${actions.get(value.name)!.source}; skipped` });
      else actions.set(value.name, { value, source });
    }
  };

  const dir = path.resolve(options.programsDir ?? process.env.DSPEX_PROGRAMS_DIR ?? "programs");
  for (const file of await listFiles(dir, errors)) {
    const source = path.relative(process.cwd(), file).split(path.sep).join("/");
    try {
      const mod = (await importWithTimeout(file, timeout)) as Record<string, unknown>;
      if ("skills" in mod || "actions" in mod) add(mod, source);
    } catch (err) {
      errors.push({ source, message: `cannot be loaded: ${describe(err)}` });
    }
  }
  if (options.packages !== false) {
    for (const pkgDir of await packageDirs(path.resolve(options.projectRoot ?? process.cwd(), "node_modules"))) {
      const loaded = await loadPackage(pkgDir, timeout);
      if (!loaded) continue;
      if ("error" in loaded) errors.push(loaded.error);
      else add(loaded.exports, loaded.source);
    }
  }
  return {
    skills,
    actions,
    errors,
    skill: (name) => skills.get(name)?.value,
    action: (name) => actions.get(name)?.value,
  };
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && !isSkill(value) && !isAction(value)) return Object.values(value);
  return [value];
}

async function listFiles(dir: string, errors: SkillLoadError[]): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => FILE.test(n) && !NOT_SOURCE.test(n)).sort().map((n) => path.join(dir, n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") errors.push({ source: dir, message: `cannot be read: ${describe(err)}` });
    return [];
  }
}

/** node_modules/<name> and node_modules/@scope/<name>, sorted. */
async function packageDirs(nodeModules: string): Promise<string[]> {
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || !(e.isDirectory() || e.isSymbolicLink())) continue;
    if (!e.name.startsWith("@")) out.push(path.join(nodeModules, e.name));
    else {
      const scoped = await readdir(path.join(nodeModules, e.name)).catch(() => []);
      for (const n of scoped) out.push(path.join(nodeModules, e.name, n));
    }
  }
  return out.sort();
}

async function loadPackage(dir: string, timeout: number): Promise<{ exports: Record<string, unknown>; source: string } | { error: SkillLoadError } | undefined> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, "package.json"), "utf8");
  } catch {
    return undefined;
  }
  if (!raw.includes('"dspex"')) return undefined;
  let name = path.basename(dir);
  try {
    const parsed = PackageSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return { error: { source: `npm:${name}`, message: `package.json: "dspex" must be { "skills": "./dist/skills.js" }` } };
    name = parsed.data.name;
    if (!parsed.data.dspex) return undefined;
    const entry = path.resolve(dir, parsed.data.dspex.skills);
    if (!entry.startsWith(dir + path.sep)) return { error: { source: `npm:${name}`, message: `"dspex.skills" must point inside the package (got ${parsed.data.dspex.skills})` } };
    return { exports: (await importWithTimeout(entry, timeout)) as Record<string, unknown>, source: `npm:${name}` };
  } catch (err) {
    return { error: { source: `npm:${name}`, message: `cannot be loaded: ${describe(err)}` } };
  }
}

function importWithTimeout(file: string, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${path.basename(file)} did not finish loading within ${ms} ms`)), ms);
  });
  return Promise.race([import(pathToFileURL(file).href) as Promise<unknown>, timeout]).finally(() => clearTimeout(timer));
}
