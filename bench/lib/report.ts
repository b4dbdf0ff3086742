import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export type Row = Record<string, string | number>;

/** Prints rows as an aligned table and keeps them as JSON under bench/results/. */
export async function report(suite: string, rows: Row[], meta: Record<string, unknown> = {}): Promise<void> {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(2)) : (v ?? ""));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(cell(r[c])).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padStart(widths[i] ?? 0)).join("  ");
  console.log(`\n${suite}`);
  console.log(line(cols));
  for (const r of rows) console.log(line(cols.map((c) => String(cell(r[c])))));
  const dir = path.resolve(import.meta.dirname, "..", "results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${suite}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify({ suite, at: new Date().toISOString(), node: process.version, ...meta, rows }, null, 2));
  console.log(`(saved ${path.relative(process.cwd(), file)})`);
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
