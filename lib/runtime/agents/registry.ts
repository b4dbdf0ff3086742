// The registry of actions and skills: every file of the programs folder that exports `skills` or
// `actions` (your own code: it runs in this process), then every installed npm package whose
// package.json declares `"dspex": { "skills": "./dist/skills.js", "permissions": {...} }`
// (node_modules/* and node_modules/@scope/*). A package's actions never run in this process: they
// run in a process of their own with only the permissions the package declares (action-host.ts),
// and are off until an administrator enables them. Every action is governed (enabled or not,
// calls counted). A file or package that fails to load is reported, never fatal.
import { readdir, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { Action } from "./action";
import { describe } from "./errors";
import { ActionHost } from "./marketplace/action-host";
import { governAction, type Governance } from "./marketplace/governance";
import { PermissionsSchema, type ActionPermissions } from "./marketplace/permissions";
import { defineSkill, isAction, isSkill, type Skill } from "./skill";

export interface LoadSkillsOptions {
  /** The programs folder (default: $DSPEX_PROGRAMS_DIR, else ./programs). A missing folder holds none. */
  readonly programsDir?: string;
  /** The project whose node_modules are scanned (default: the working directory). */
  readonly projectRoot?: string;
  /** Scan installed packages (default true). */
  readonly packages?: boolean;
  /** How long one file may take to load (default 15 s). */
  readonly importTimeoutMs?: number;
  /** Which actions may run, and where their calls are counted (default: every action may run). */
  readonly governance?: Governance;
}

export interface SkillLoadError {
  /** The file or package at fault. */
  readonly source: string;
  readonly message: string;
}

/** Where a skill or action comes from: a file of the programs folder, or an installed package. */
export type SkillOrigin = { readonly kind: "folder"; readonly file: string } | { readonly kind: "package"; readonly name: string; readonly version: string; readonly permissions: ActionPermissions };

export interface Registered<T> {
  readonly value: T;
  /** "programs/x.ts" or "npm:<package>". */
  readonly source: string;
  readonly origin: SkillOrigin;
}

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RegisteredAction extends Registered<Action> {
  /** The skill it belongs to, when it came in one. */
  readonly skill?: string;
  readonly input: JsonSchema | null;
  readonly output: JsonSchema | null;
}

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly permissions: ActionPermissions;
  readonly actions: readonly string[];
  readonly skills: readonly string[];
}

export interface SkillRegistry {
  readonly skills: ReadonlyMap<string, Registered<Skill>>;
  readonly actions: ReadonlyMap<string, RegisteredAction>;
  readonly packages: readonly InstalledPackage[];
  readonly errors: readonly SkillLoadError[];
  skill(name: string): Skill | undefined;
  action(name: string): Action | undefined;
  /** Puts an action mounted from elsewhere (a system's own file) behind the same gate. */
  govern(action: Action): Action;
  /** Stops the packages' processes. */
  close(): Promise<void>;
}

const PackageSchema = z.object({
  name: z.string(),
  version: z.string().default("0.0.0"),
  dspex: z.object({ skills: z.string().min(1), permissions: z.unknown().optional() }).optional(),
});

const ALLOW_ALL: Governance = { policy: { enabled: () => true } };

export async function loadSkillRegistry(options: LoadSkillsOptions = {}): Promise<SkillRegistry> {
  const skills = new Map<string, Registered<Skill>>();
  const actions = new Map<string, RegisteredAction>();
  const errors: SkillLoadError[] = [];
  const packages: InstalledPackage[] = [];
  const hosts: ActionHost[] = [];
  const governance = options.governance ?? ALLOW_ALL;
  const govern = (a: Action) => governAction(a, governance);
  const timeout = options.importTimeoutMs ?? 15_000;

  const addAction = (a: Action, source: string, origin: SkillOrigin, skill?: string, schemas?: { input: JsonSchema | null; output: JsonSchema | null }) => {
    const taken = actions.get(a.name);
    if (taken) {
      if (taken.value !== a) errors.push({ source, message: `action "${a.name}" is already registered by ${taken.source}; skipped` });
      return;
    }
    actions.set(a.name, { value: govern(a), source, origin, ...(skill !== undefined && { skill }), ...(schemas ?? describeSchemas(a)) });
  };
  const addSkill = (s: Skill, source: string, origin: SkillOrigin) => {
    const taken = skills.get(s.name);
    if (taken) return errors.push({ source, message: `skill "${s.name}" is already registered by ${taken.source}; skipped` });
    skills.set(s.name, { value: defineSkill({ ...s, actions: s.actions.map(govern) }), source, origin });
    for (const a of s.actions) addAction(a, source, origin, s.name);
  };

  const dir = path.resolve(options.programsDir ?? process.env.DSPEX_PROGRAMS_DIR ?? "programs");
  for (const file of await listFiles(dir, errors)) {
    const source = path.relative(process.cwd(), file).split(path.sep).join("/");
    const origin: SkillOrigin = { kind: "folder", file: source };
    try {
      const mod = (await importWithTimeout(file, timeout)) as Record<string, unknown>;
      for (const value of listOf(mod.skills)) {
        if (isSkill(value)) addSkill(value, source, origin);
        else errors.push({ source, message: "`skills` holds something not made with defineSkill()" });
      }
      for (const value of listOf(mod.actions)) {
        if (isAction(value)) addAction(value, source, origin);
        else errors.push({ source, message: "`actions` holds something not made with defineAction()" });
      }
    } catch (err) {
      errors.push({ source, message: `cannot be loaded: ${describe(err)}` });
    }
  }

  if (options.packages !== false) {
    const nodeModules = path.resolve(options.projectRoot ?? process.cwd(), "node_modules");
    for (const pkgDir of await packageDirs(nodeModules)) {
      const loaded = await loadPackage(pkgDir, nodeModules, errors);
      if (!loaded) continue;
      hosts.push(loaded.host);
      const { description, host, info } = loaded;
      const source = `npm:${info.name}`;
      const origin: SkillOrigin = { kind: "package", name: info.name, version: info.version, permissions: info.permissions };
      for (const e of description.errors) errors.push({ source, message: e });
      const proxies = new Map(host.actions(description).map((a) => [a.name, a]));
      const inSkill = new Set<string>();
      for (const s of description.skills) {
        const own = s.actions.map((n) => proxies.get(n)).filter((a): a is Action => a !== undefined);
        for (const a of own) inSkill.add(a.name);
        try {
          addSkill(defineSkill({ name: s.name, ...(s.description && { description: s.description }), actions: own }), source, origin);
        } catch (err) {
          errors.push({ source, message: describe(err) });
        }
      }
      for (const d of description.actions) {
        if (!inSkill.has(d.name)) addAction(proxies.get(d.name)!, source, origin, undefined, { input: d.input, output: d.output });
        else {
          const r = actions.get(d.name);
          if (r && r.source === source) actions.set(d.name, { ...r, input: d.input, output: d.output });
        }
      }
      packages.push({ ...info, actions: description.actions.map((a) => a.name), skills: description.skills.map((s) => s.name) });
    }
  }
  return {
    skills,
    actions,
    packages,
    errors,
    skill: (name) => skills.get(name)?.value,
    action: (name) => actions.get(name)?.value,
    govern,
    close: async () => void (await Promise.all(hosts.map((h) => h.close()))),
  };
}

function describeSchemas(a: Action): { input: JsonSchema | null; output: JsonSchema | null } {
  const one = (s: z.ZodType | undefined) => {
    if (!s) return null;
    try {
      return z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as JsonSchema;
    } catch {
      return {};
    }
  };
  return { input: one(a.input), output: one(a.output) };
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && !isSkill(value) && !isAction(value)) return Object.values(value);
  return [value];
}

/** Source files of a folder (not tests, declarations or files starting with _ or .), sorted. */
export async function listFiles(dir: string, errors: SkillLoadError[]): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => /^[^._].*\.(ts|mts|js|mjs)$/.test(n) && !/\.(test|spec|test-d)\.[mc]?[jt]s$|\.d\.[mc]?ts$/.test(n)).sort().map((n) => path.join(dir, n));
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

/** A package that declares skills: its manifest checked, loaded and described in its own process. */
async function loadPackage(dir: string, nodeModules: string, errors: SkillLoadError[]): Promise<{ info: Omit<InstalledPackage, "actions" | "skills">; host: ActionHost; description: Awaited<ReturnType<ActionHost["describe"]>> } | undefined> {
  let raw: string;
  try {
    raw = await readFile(path.join(dir, "package.json"), "utf8");
  } catch {
    return undefined;
  }
  if (!raw.includes('"dspex"')) return undefined;
  let name = path.basename(dir);
  const fail = (message: string) => void errors.push({ source: `npm:${name}`, message });
  try {
    const parsed = PackageSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return fail(`package.json: "dspex" must be { "skills": "./dist/skills.js", "permissions": { ... } }`);
    name = parsed.data.name;
    if (!parsed.data.dspex) return undefined;
    const permissions = PermissionsSchema.safeParse(parsed.data.dspex.permissions ?? {});
    if (!permissions.success) {
      const issue = permissions.error.issues[0]!;
      return fail(`package.json: "dspex.permissions.${issue.path.join(".")}" ${issue.message}`);
    }
    const real = await realpath(dir);
    const entry = path.resolve(real, parsed.data.dspex.skills);
    if (!entry.startsWith(real + path.sep)) return fail(`"dspex.skills" must point inside the package (got ${parsed.data.dspex.skills})`);
    const host = new ActionHost({ dir: real, entry, name, permissions: permissions.data, nodeModules: await realpath(nodeModules) });
    try {
      const description = await host.describe();
      return { info: { name, version: parsed.data.version, permissions: permissions.data }, host, description };
    } catch (err) {
      await host.close();
      return fail(`cannot be loaded: ${describe(err)}`);
    }
  } catch (err) {
    return fail(`cannot be loaded: ${describe(err)}`);
  }
}

export function importWithTimeout(file: string, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${path.basename(file)} did not finish loading within ${ms} ms`)), ms);
  });
  return Promise.race([import(pathToFileURL(file).href) as Promise<unknown>, timeout]).finally(() => clearTimeout(timer));
}
