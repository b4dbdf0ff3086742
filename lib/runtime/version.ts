import { readFileSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

export function dspexVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version?: string };
    cached = pkg.version ?? "0.0.0";
  }
  return cached;
}
