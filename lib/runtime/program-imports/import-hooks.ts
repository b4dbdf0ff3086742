// Module hooks (node:module register) for program files the server loads from anywhere on disk.
// They run in Node's loader thread, so this file imports nothing of the server.
//   - `dspex` and its subpaths resolve to the server's own modules, so a program shares the
//     server's instances (its defineServedProgram, its Predict) wherever it lives.
//   - Shared packages (zod) resolve from the server for importers outside node_modules, so a
//     program's schemas are made by the zod the server validates with; any other package a
//     program's folder lacks is looked up in the server's too.
//   - TypeScript program files are compiled with esbuild as ES modules (the compiled server runs
//     on plain Node; from the sources, tsx keeps the server's own files and would take a program
//     in a folder without a package.json for CommonJS), and relative imports may leave out `.ts`.
//   - A program imported again after a change (`?reload=N`) passes that query on to the files it
//     imports relatively, so its helpers are read afresh too.
import type { InitializeHook, LoadHook, ResolveHook } from "node:module";
import { fileURLToPath } from "node:url";
import { compileProgramFile } from "./compile";

export interface ProgramImportsData {
  /** `dspex`, `dspex/runtime`, ...: the file URL of the server's module for each. */
  readonly packageEntries: Readonly<Record<string, string>>;
  /** The server's package.json as a file URL: where shared and missing packages are resolved from. */
  readonly serverPackage: string;
  /** Packages always taken from the server for importers outside node_modules. */
  readonly shared: readonly string[];
  /** Compile TypeScript only outside this folder (a file URL ending in "/"): a loader there already does. */
  readonly compiledElsewhereUnder?: string;
}

let data: ProgramImportsData | undefined;

export const initialize: InitializeHook<ProgramImportsData> = (given) => {
  data = given;
};

const TYPESCRIPT = /\.(ts|mts|tsx)$/;
const isBare = (specifier: string) => !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
const packageName = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
const outsideNodeModules = (url: string | undefined) => url !== undefined && url.startsWith("file:") && !url.includes("/node_modules/");
const notFound = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "ERR_UNSUPPORTED_DIR_IMPORT";
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (!data) return nextResolve(specifier, context);
  const reload = context.parentURL === undefined ? null : /[?&](reload=\d+)/.exec(context.parentURL)?.[1];
  if (reload && specifier.startsWith(".")) {
    const resolved = await resolveProgramImport(specifier, context, nextResolve);
    return outsideNodeModules(resolved.url) && !resolved.url.includes("?") ? { ...resolved, url: `${resolved.url}?${reload}` } : resolved;
  }
  return resolveProgramImport(specifier, context, nextResolve);
};

const resolveProgramImport: ResolveHook = async (specifier, context, nextResolve) => {
  if (!data) return nextResolve(specifier, context);
  const entry = data.packageEntries[specifier];
  // Through the chain, so that a loader behind this one (tsx, from the sources) sees the file too.
  if (entry !== undefined) return nextResolve(entry, context);
  const fromProgram = outsideNodeModules(context.parentURL);
  if (fromProgram && isBare(specifier) && data.shared.includes(packageName(specifier))) {
    return nextResolve(specifier, { ...context, parentURL: data.serverPackage });
  }
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if (!fromProgram || !notFound(err)) throw err;
    if (isBare(specifier)) return nextResolve(specifier, { ...context, parentURL: data.serverPackage });
    if (specifier.startsWith(".") && TYPESCRIPT.test(new URL(context.parentURL!).pathname)) {
      for (const candidate of typeScriptCandidates(specifier)) {
        try {
          return await nextResolve(candidate, context);
        } catch (again) {
          if (!notFound(again)) throw again;
        }
      }
    }
    throw err;
  }
};

/** What TypeScript's own resolution would try for a relative import: `./x` → ./x.ts, ./x/index.ts; `./x.js` → ./x.ts. */
function typeScriptCandidates(specifier: string): string[] {
  if (/\.m?js$/.test(specifier)) return [specifier.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts")];
  return [`${specifier}.ts`, `${specifier}.mts`, `${specifier}/index.ts`];
}

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!data || !outsideNodeModules(url) || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  if (data.compiledElsewhereUnder !== undefined && url.startsWith(data.compiledElsewhereUnder)) return nextLoad(url, context);
  const compiled = await compileProgramFile(fileURLToPath(url), "inline");
  return { format: "module", source: compiled.code, shortCircuit: true };
};
