// The installed dspex package's folder (where dist/, prisma/migrations and .next live), found from
// this file whether it runs compiled (dist/lib/cli) or from the sources (lib/cli).
import path from "node:path";
import { packageRoot as rootAbove } from "../runtime/program-imports";

export function packageRoot(): string {
  return rootAbove(import.meta.dirname);
}

/** A module of the package as it runs here: dist/<sub>.js when compiled, <sub>.ts from the sources. */
export function packageModule(sub: string): string {
  const compiled = import.meta.filename.endsWith(".js");
  return path.join(packageRoot(), compiled ? `dist/${sub}.js` : `${sub}.ts`);
}
