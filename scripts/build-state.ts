// Decides whether the production build in .next matches the sources, by a hash of their contents.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const INPUTS = ["app", "components", "lib", "public", "next.config.js", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const SKIP = new Set(["node_modules", ".next", "generated"]);
const STAMP = path.join(ROOT, ".next", "dspex-source-hash");

function walk(p: string, out: string[]): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) {
      if (!SKIP.has(name) && !name.endsWith(".test.ts") && !name.endsWith(".test.tsx")) walk(path.join(p, name), out);
    }
  } else out.push(p);
}

export function sourceHash(): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(path.join(ROOT, input), files);
  const hash = createHash("sha256");
  for (const f of files) hash.update(path.relative(ROOT, f)).update("\0").update(readFileSync(f)).update("\0");
  return hash.digest("hex");
}

export function buildIsCurrent(hash = sourceHash()): boolean {
  return existsSync(path.join(ROOT, ".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash;
}

export function markBuilt(hash: string): void {
  writeFileSync(STAMP, hash);
}
