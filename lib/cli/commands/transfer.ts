// dspex export [file] / dspex import <file>: programs (with the code of the user's program files),
// their versions and the datasets with every version's examples, as one JSON file, so that an
// installation can be rebuilt elsewhere. Import writes missing program files into the programs
// folder, then adds the versions and dataset versions the target lacks (by number, so importing
// into a fresh data directory reproduces the numbering) and activates the version that was active.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { jsonEqual, type JsonValue } from "../../dspex";
import { DatasetPageSchema, DatasetVersionPageSchema, ExamplePageSchema, ImportDatasetResponseSchema, ProgramListPageSchema, ProgramVersionPageSchema, ProgramVersionViewSchema } from "../../schemas";
import type { ApiClient } from "../client";
import { connect, localConfig, isRemote, type GlobalOptions } from "../connect";
import { CliError, EXIT } from "../errors";
import type { Output } from "../output";

const FORMAT = "dspex-export";

const ExportSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(1),
  exportedAt: z.string(),
  programs: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      source: z.string(),
      /** The program file's text (user programs exported locally). */
      code: z.object({ file: z.string(), text: z.string() }).nullable(),
      versions: z.array(z.object({ number: z.number().int(), config: z.record(z.string(), z.json()), message: z.string(), authorKind: z.string(), active: z.boolean() })),
    }),
  ),
  datasets: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      versions: z.array(z.object({ number: z.number().int(), message: z.string(), examples: z.array(z.object({ inputs: z.record(z.string(), z.unknown()), outputs: z.record(z.string(), z.unknown()), split: z.string() })) })),
    }),
  ),
});
type ExportFile = z.infer<typeof ExportSchema>;

async function pages<T>(fetchPage: (page: number) => Promise<{ items: T[]; total: number; limit: number }>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const got = await fetchPage(page);
    all.push(...got.items);
    if (page * got.limit >= got.total || got.items.length === 0) return all;
  }
}

const enc = encodeURIComponent;

export async function exportCommand(file: string | undefined, global: GlobalOptions, out: Output): Promise<void> {
  const programsDir = isRemote(global) ? undefined : localConfig(global).programsDir;
  const conn = await connect(global);
  let data: ExportFile;
  try {
    const api = conn.api;
    const programs = await pages((p) => api.get(`/api/v1/programs?page=${p}&limit=100`, ProgramListPageSchema));
    const datasets = await pages((p) => api.get(`/api/v1/datasets?page=${p}&limit=100`, DatasetPageSchema));
    data = {
      format: FORMAT,
      formatVersion: 1,
      exportedAt: new Date().toISOString(),
      programs: await Promise.all(
        programs.map(async (p) => {
          const versions = await pages((n) => api.get(`/api/v1/programs/${enc(p.name)}/versions?page=${n}&limit=100`, ProgramVersionPageSchema));
          return {
            name: p.name,
            description: p.description,
            source: p.source,
            code: await programCode(p.source, programsDir),
            versions: versions
              .sort((a, b) => a.number - b.number)
              .map((v) => ({ number: v.number, config: v.config, message: v.message, authorKind: v.authorKind, active: v.active })),
          };
        }),
      ),
      datasets: await Promise.all(
        datasets.map(async (d) => {
          const versions = await pages((n) => api.get(`/api/v1/datasets/${enc(d.name)}/versions?page=${n}&limit=100`, DatasetVersionPageSchema));
          return {
            name: d.name,
            description: d.description,
            versions: await Promise.all(
              versions
                .sort((a, b) => a.number - b.number)
                .map(async (v) => ({
                  number: v.number,
                  message: v.message,
                  examples: (await pages((n) => api.get(`/api/v1/datasets/${enc(d.name)}/versions/${v.id}/examples?page=${n}&limit=100`, ExamplePageSchema))).map((e) => ({ inputs: e.inputs, outputs: e.outputs, split: e.split })),
                })),
            ),
          };
        }),
      ),
    };
  } finally {
    await conn.close();
  }
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const counts = `${data.programs.length} programs (${data.programs.reduce((n, p) => n + p.versions.length, 0)} versions), ${data.datasets.length} datasets (${data.datasets.reduce((n, d) => n + d.versions.length, 0)} versions)`;
  if (file === undefined || file === "-") {
    process.stdout.write(text);
    return;
  }
  await writeFile(file, text);
  out.result({ file, programs: data.programs.length, datasets: data.datasets.length }, () => `exported ${counts} to ${file}`);
}

async function programCode(source: string, programsDir: string | undefined): Promise<ExportFile["programs"][number]["code"]> {
  if (source.startsWith("demo:") || programsDir === undefined) return null;
  const file = path.basename(source);
  try {
    return { file, text: await readFile(path.join(programsDir, file), "utf8") };
  } catch {
    return null;
  }
}

export async function importCommand(file: string, global: GlobalOptions, out: Output): Promise<void> {
  let parsed: ExportFile;
  try {
    const result = ExportSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!result.success) throw new CliError(`${file} is not a dspex export: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).slice(0, 3).join("; ")}`, EXIT.invalid);
    parsed = result.data;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, EXIT.invalid);
  }
  const notes: string[] = [];
  if (!isRemote(global)) {
    const dir = localConfig(global).programsDir;
    for (const p of parsed.programs) {
      if (!p.code) continue;
      const target = path.join(dir, p.code.file);
      const existing = await readFile(target, "utf8").catch(() => undefined);
      if (existing === undefined) {
        await writeFile(target, p.code.text);
        notes.push(`wrote ${target}`);
      } else if (existing !== p.code.text) notes.push(`kept ${target} (it differs from the exported code)`);
    }
  }
  const conn = await connect(global);
  const summary = { versions: 0, datasetVersions: 0, activated: [] as string[], skipped: [] as string[] };
  try {
    for (const d of parsed.datasets) summary.datasetVersions += await importDataset(conn.api, d);
    const served = new Set((await pages((p) => conn.api.get(`/api/v1/programs?page=${p}&limit=100`, ProgramListPageSchema))).filter((p) => p.served).map((p) => p.name));
    for (const p of parsed.programs) {
      if (!served.has(p.name)) {
        summary.skipped.push(p.name);
        continue;
      }
      const made = await importVersions(conn.api, p);
      summary.versions += made.created;
      if (made.activated !== undefined) summary.activated.push(`${p.name} v${made.activated}`);
    }
  } finally {
    await conn.close();
  }
  out.result({ ...summary, notes }, () =>
    [
      ...notes,
      `imported ${summary.versions} program versions and ${summary.datasetVersions} dataset versions; active: ${summary.activated.join(", ") || "unchanged"}`,
      ...(summary.skipped.length ? [`not served here (no code), skipped: ${summary.skipped.join(", ")}`] : []),
    ].join("\n"),
  );
}

async function importDataset(api: ApiClient, d: ExportFile["datasets"][number]): Promise<number> {
  const have = await api
    .get(`/api/v1/datasets/${enc(d.name)}/versions?limit=1`, DatasetVersionPageSchema)
    .then((page) => page.total)
    .catch((err: unknown) => {
      if (err instanceof CliError && err.exitCode === EXIT.notFound) return 0;
      throw err;
    });
  let made = 0;
  for (const v of d.versions.filter((v) => v.number > have)) {
    const content = v.examples.map((e) => JSON.stringify(e)).join("\n");
    await api.post("/api/v1/datasets/import", { name: d.name, description: d.description, format: "jsonl", content, message: v.message || `imported version ${v.number}` }, ImportDatasetResponseSchema);
    made++;
  }
  return made;
}

async function importVersions(api: ApiClient, p: ExportFile["programs"][number]): Promise<{ created: number; activated?: number }> {
  const existing = await pages((n) => api.get(`/api/v1/programs/${enc(p.name)}/versions?page=${n}&limit=100`, ProgramVersionPageSchema));
  const byNumber = new Map(existing.map((v) => [v.number, v]));
  let created = 0;
  let activated: number | undefined;
  for (const v of p.versions) {
    const have = byNumber.get(v.number);
    if (have) {
      if (v.active && !have.active && jsonEqual(have.config as JsonValue, v.config as JsonValue)) {
        await api.post(`/api/v1/programs/${enc(p.name)}/versions/${have.id}/promote`, {}, z.unknown());
        activated = v.number;
      }
      continue;
    }
    const made = await api.post(`/api/v1/programs/${enc(p.name)}/versions`, { config: v.config, message: v.message || `imported version ${v.number}`, activate: v.active }, ProgramVersionViewSchema);
    created++;
    if (v.active) activated = made.number;
  }
  return { created, ...(activated !== undefined && { activated }) };
}
