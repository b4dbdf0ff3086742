// Compiles the server (server.ts, lib/ and the command-line scripts) to JavaScript under dist/,
// one output file per source file at the same relative path, so that `npm start`, `npm run worker`
// and `npm run api-key` run on plain Node, and so that the package's entry points (`dspex`,
// `dspex/runtime`, ...) are files the server itself loads: a program importing `dspex` gets the
// very module instances the server uses. Then tsc checks the server's sources and writes the
// package's type declarations beside the JavaScript; a type error fails the build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DIST = path.join(ROOT, "dist");
/** Entry points besides lib/: what `npm start`, `npm run worker` and `npm run api-key` run. */
const SCRIPTS = ["server.ts", "scripts/api-key.ts"];
const TS_SOURCE = /\.[mc]?tsx?$/;
const NOT_SHIPPED = /\.(test|int\.test|test-d|bench)\.tsx?$/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) sources(file, out);
    else if (TS_SOURCE.test(name) && !name.endsWith(".d.ts") && !NOT_SHIPPED.test(name)) out.push(file);
  }
  return out;
}

const outputExtension = (file: string) => file.replace(/\.tsx?$/, ".js").replace(/\.mts$/, ".mjs").replace(/\.cts$/, ".cjs");

/**
 * Keeps every import of another source file as an import of its compiled file (with the extension
 * Node's ESM loader needs), so each output holds exactly one source file. JSON stays inlined.
 */
const sourceImportsStayImports: Plugin = {
  name: "source-imports-stay-imports",
  setup(b) {
    b.onResolve({ filter: /^(\.|@\/)/ }, async (args) => {
      if (args.kind === "entry-point" || args.pluginData === "inner") return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "inner" });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (resolved.external || !TS_SOURCE.test(resolved.path)) return undefined;
      let relative = path.relative(path.dirname(args.importer), outputExtension(resolved.path)).split(path.sep).join("/");
      if (!relative.startsWith(".")) relative = `./${relative}`;
      return { path: relative, external: true };
    });
  },
};

/** tsc writes declarations with the specifiers of the sources ("./signatures"); ESM needs files. */
function addExtensionsToDeclarations(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) addExtensionsToDeclarations(file);
    else if (name.endsWith(".d.ts")) {
      const text = readFileSync(file, "utf8");
      const fixed = text.replace(/((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*)\2/g, (all, lead: string, quote: string, spec: string) => {
        const target = declarationTarget(path.dirname(file), spec);
        return target === undefined ? all : `${lead}${quote}${target}${quote}`;
      });
      if (fixed !== text) writeFileSync(file, fixed);
    }
  }
}

function declarationTarget(fromDir: string, spec: string): string | undefined {
  const bare = spec.replace(/\.(ts|js)$/, "");
  if (existsSync(path.join(fromDir, `${bare}.d.ts`))) return `${bare}.js`;
  if (existsSync(path.join(fromDir, bare, "index.d.ts"))) return `${bare}/index.js`;
  return undefined;
}

/** Removes outputs whose source is gone (dist/ is kept between builds for tsc's incremental state). */
function removeStaleOutputs(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.startsWith(".")) continue;
    if (statSync(file).isDirectory()) {
      removeStaleOutputs(file);
      if (readdirSync(file).length === 0) rmSync(file, { recursive: true });
      continue;
    }
    const source = path.join(ROOT, path.relative(DIST, file)).replace(/(\.d)?\.(js|ts)(\.map)?$/, "").replace(/\.(mjs|mts)(\.map)?$/, "");
    if (![".ts", ".tsx", ".mts"].some((ext) => existsSync(source + ext))) rmSync(file);
  }
}

export async function buildServer(): Promise<void> {
  const entryPoints = [...SCRIPTS.map((s) => path.join(ROOT, s)), ...sources(path.join(ROOT, "lib"))];
  await build({
    entryPoints,
    outdir: DIST,
    outbase: ROOT,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
    plugins: [sourceImportsStayImports],
  });
  const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  if (tsc.status !== 0) throw new Error("type errors in the server's sources (listed above)");
  addExtensionsToDeclarations(DIST);
  removeStaleOutputs(DIST);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  buildServer().catch((err: unknown) => {
    console.error(`dspex: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
