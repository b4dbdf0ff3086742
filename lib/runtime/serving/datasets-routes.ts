// Datasets through the API: list, one dataset, its versions, a version's examples (paged),
// import of a JSONL/CSV file as a new version (every bad row named), and a seeded re-split.
import type { z } from "zod";
import {
  type DatasetPageSchema,
  type DatasetSchema,
  type DatasetVersionPageSchema,
  type DatasetVersionSchema,
  type ExamplePageSchema,
  type ImportDatasetBodySchema,
  type ImportDatasetResponseSchema,
  MAX_IMPORT_CONTENT_CHARS,
  type Wire,
} from "../../schemas";
import type { ProgramRegistry } from "../programs";
import { NotFoundError, parseDatasetFile, type DatasetVersionView, type ImportRowError, type Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

export interface DatasetsEnv {
  readonly store: Pick<Store, "ensureDataset" | "createDatasetVersion" | "getDataset" | "getDatasetVersion" | "listDatasets" | "listDatasetVersions" | "listExamples" | "splitDataset">;
  readonly registry: ProgramRegistry;
}

type ImportBody = z.output<typeof ImportDatasetBodySchema>;

/** A version, checked to belong to the dataset named in the path (else 404). */
async function versionOf(store: DatasetsEnv["store"], name: string, versionId: string): Promise<DatasetVersionView> {
  const version = await store.getDatasetVersion(versionId);
  if (version.datasetName !== name) throw new NotFoundError(`version of dataset "${name}"`, versionId, "versionId");
  return version;
}

/** Every bad row as a field "rows.<line>[.<field>]", so a form can show a row/field/message table. */
export function importErrorFields(errors: readonly ImportRowError[]): { field: string; message: string }[] {
  return errors.map((e) => ({ field: `rows.${e.line}${e.field ? `.${e.field}` : ""}`, message: e.message }));
}

async function importFile(env: DatasetsEnv, body: ImportBody) {
  if (body.content.length > MAX_IMPORT_CONTENT_CHARS) {
    throw new ServingError("PAYLOAD_TOO_LARGE", `the file has ${body.content.length} characters; at most ${MAX_IMPORT_CONTENT_CHARS} can be imported at once: split it into several imports`);
  }
  const signature = body.programName === undefined ? undefined : env.registry.require(body.programName).signature;
  const parsed = parseDatasetFile(body.content, { format: body.format, ...(body.mapping && { mapping: body.mapping }), ...(body.defaultSplit && { defaultSplit: body.defaultSplit }) }, signature);
  if (!parsed.ok) {
    const shown = parsed.errors.length < parsed.errorCount ? ` (the first ${parsed.errors.length} are listed)` : "";
    throw new ServingError(
      "INVALID_REQUEST",
      `the file has ${parsed.errorCount} error${parsed.errorCount === 1 ? "" : "s"}${shown}; nothing was imported: fix the rows and import the file again`,
      importErrorFields(parsed.errors),
    );
  }
  await env.store.ensureDataset({ name: body.name, ...(body.description !== undefined && { description: body.description }) });
  const version = await env.store.createDatasetVersion({
    datasetName: body.name,
    examples: parsed.examples.map(({ inputs, outputs, split }) => ({ inputs: inputs as never, outputs: outputs as never, split })),
    message: body.message ?? `imported ${body.format.toUpperCase()}: ${parsed.examples.length} examples`,
  });
  return { dataset: await env.store.getDataset(body.name), version };
}

export function datasetRoutes(env: DatasetsEnv): Route[] {
  const { store } = env;
  const list = implement(routes.listDatasets, async ({ query }) => {
    const body: Wire<typeof DatasetPageSchema> = await store.listDatasets(query);
    return { status: 200, body };
  });

  const get = implement(routes.getDataset, async ({ params }) => {
    const body: Wire<typeof DatasetSchema> = await store.getDataset(params.name);
    return { status: 200, body };
  });

  const versions = implement(routes.listDatasetVersions, async ({ params, query }) => {
    const body: Wire<typeof DatasetVersionPageSchema> = await store.listDatasetVersions({ ...query, datasetName: params.name });
    return { status: 200, body };
  });

  const version = implement(routes.getDatasetVersion, async ({ params }) => {
    const body: Wire<typeof DatasetVersionSchema> = await versionOf(store, params.name, params.versionId);
    return { status: 200, body };
  });

  const examples = implement(routes.listDatasetExamples, async ({ params, query }) => {
    await versionOf(store, params.name, params.versionId);
    const body: Wire<typeof ExamplePageSchema> = await store.listExamples({ ...query, versionId: params.versionId });
    return { status: 200, body };
  });

  const importRoute = implement(routes.importDataset, async ({ body }) => {
    const out: Wire<typeof ImportDatasetResponseSchema> = await importFile(env, body);
    return { status: 201, body: out };
  });

  const split = implement(routes.splitDatasetVersion, async ({ params, body }) => {
    await versionOf(store, params.name, params.versionId);
    const out: Wire<typeof DatasetVersionSchema> = await store.splitDataset(params.versionId, body);
    return { status: 201, body: out };
  });

  // The import route comes before /{name} routes only for readability: matching is by method too.
  return [list, importRoute, get, versions, version, examples, split];
}
