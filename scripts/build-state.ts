// Decides whether a build matches the sources, by a hash of their contents stamped into the
// build's output. Two builds: the server (dist/, compiled by scripts/build-server.ts) and the
// dashboard (.next/, by next build); each is redone only when its own inputs changed.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".next", "dist", "generated"]);

export interface BuildTarget {
  readonly name: string;
  /** Files and folders (relative to the repository) whose contents the build depends on. */
  readonly inputs: readonly string[];
  /** A file the build always writes; without it there is no build. */
  readonly output: string;
  readonly stamp: string;
}

export const SERVER_BUILD: BuildTarget = {
  name: "server",
  // The generated Prisma client under lib/db/generated follows from the schema and the lock file.
  inputs: ["server.ts", "lib", "scripts/api-key.ts", "scripts/build-server.ts", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json", "prisma/schema.prisma"],
  output: "dist/server.js",
  stamp: "dist/.dspex-source-hash",
};

export const DASHBOARD_BUILD: BuildTarget = {
  name: "dashboard",
  inputs: ["app", "components", "lib", "public", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"],
  output: ".next/BUILD_ID",
  stamp: ".next/dspex-source-hash",
};

function walk(p: string, out: string[]): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) {
      if (!SKIP.has(name) && !name.endsWith(".test.ts") && !name.endsWith(".test.tsx")) walk(path.join(p, name), out);
    }
  } else out.push(p);
}

export function sourceHash(target: BuildTarget): string {
  const files: string[] = [];
  for (const input of target.inputs) walk(path.join(ROOT, input), files);
  const hash = createHash("sha256");
  for (const f of files) hash.update(path.relative(ROOT, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export function buildIsCurrent(target: BuildTarget, hash = sourceHash(target)): boolean {
  const stamp = path.join(ROOT, target.stamp);
  return existsSync(path.join(ROOT, target.output)) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash;
}

export function markBuilt(target: BuildTarget, hash: string): void {
  writeFileSync(path.join(ROOT, target.stamp), hash);
}
