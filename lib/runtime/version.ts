import { readFileSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

/** The package's version, from the package.json in `root` (the server runs from the package's folder). */
export function dspexVersion(root = process.cwd()): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string };
    cached = pkg.version ?? "0.0.0";
  }
  return cached;
}
