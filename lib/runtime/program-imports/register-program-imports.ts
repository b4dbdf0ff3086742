// Registers the module hooks that let a program anywhere on disk import `dspex` and `zod` (see
// import-hooks.ts), once per process, before the server or a worker loads programs. The entries of
// `dspex` come from package.json's "exports": compiled, the server runs the very files they name
// (dist/...js); from the sources (npm run dev, under tsx) it runs the .ts files they came from.
import { existsSync, readFileSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import type { ProgramImportsData } from "./import-hooks";

const PACKAGE_NAME = "dspex";
const SHARED_PACKAGES = ["zod"];
const ExportsSchema = z.record(z.string(), z.union([z.string(), z.object({ default: z.string() }).loose()]));

let registered = false;

export function registerProgramImports(): void {
  if (registered) return;
  registered = true;
  const here = import.meta.url;
  const compiled = !here.endsWith(".ts");
  const root = packageRoot(path.dirname(fileURLToPath(here)));
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: unknown };
  const packageEntries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(ExportsSchema.parse(pkg.exports ?? {}))) {
    const file = typeof target === "string" ? target : target.default;
    if (!file.endsWith(".js")) continue;
    const specifier = subpath === "." ? PACKAGE_NAME : `${PACKAGE_NAME}/${subpath.replace(/^\.\//, "")}`;
    const runs = compiled ? file : file.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts");
    packageEntries[specifier] = pathToFileURL(path.join(root, runs)).href;
  }
  const data: ProgramImportsData = {
    packageEntries,
    serverPackage: pathToFileURL(path.join(root, "package.json")).href,
    shared: SHARED_PACKAGES,
    // From the sources, tsx already compiles the server's own files (the repository's programs/ too).
    ...(compiled ? {} : { compiledElsewhereUnder: pathToFileURL(root + path.sep).href }),
  };
  register(new URL(`./import-hooks${compiled ? ".js" : ".ts"}`, here), { data });
}

/** The folder of the dspex package above `start`. */
export function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`registerProgramImports: no package.json of "${PACKAGE_NAME}" above ${start}`);
  }
}
