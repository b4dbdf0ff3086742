// How a TypeScript program file is compiled for Node (by the import hooks, and again to map an
// error's position back to the source): one place, so both give the same output.
import { readFile } from "node:fs/promises";

export async function compileProgramFile(file: string, sourcemap: "inline" | "external"): Promise<{ code: string; map: string }> {
  const { transform } = await import("esbuild");
  return transform(await readFile(file, "utf8"), {
    loader: file.endsWith(".tsx") ? "tsx" : "ts",
    format: "esm",
    target: "node20",
    sourcefile: file,
    sourcemap,
  });
}
