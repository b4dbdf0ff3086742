// Datasets through the API: list, one dataset, its versions, a version's examples (paged),
// import of a JSONL/CSV file as a new version (every bad row named), and a seeded re-split.
import type { z } from "zod";
import type { PrismaClient } from "../../db";
import {
  DatasetExamplesQuerySchema,
  DatasetListQuerySchema,
  DatasetPageSchema,
  DatasetParamsSchema,
  DatasetSchema,
  DatasetVersionPageSchema,
  DatasetVersionParamsSchema,
  DatasetVersionSchema,
  DatasetVersionsQuerySchema,
  ExamplePageSchema,
  ImportDatasetBodySchema,
  ImportDatasetResponseSchema,
  MAX_IMPORT_CONTENT_CHARS,
  SplitDatasetSchema,
  type DatasetExamplesQuery,
  type DatasetListQuery,
  type PageQuery,
} from "../../schemas";
import type { ProgramRegistry } from "../programs";
import {
  createDataset,
  createDatasetVersion,
  getDataset,
  getDatasetVersion,
  listDatasets,
  listDatasetVersions,
  listExamples,
  NotFoundError,
  parseDatasetFile,
  splitDataset,
  type DatasetVersionView,
  type ImportRowError,
} from "../store";
import { ServingError } from "./errors";
import { defineRoute, type Route, type Wire } from "./router";

export interface DatasetsEnv {
  readonly prisma: PrismaClient;
  readonly registry: ProgramRegistry;
}

type ImportBody = z.output<typeof ImportDatasetBodySchema>;
type SplitBody = z.output<typeof SplitDatasetSchema>;

/** A version, checked to belong to the dataset named in the path (else 404). */
async function versionOf(prisma: PrismaClient, name: string, versionId: string): Promise<DatasetVersionView> {
  const version = await getDatasetVersion(prisma, versionId);
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
  const existing = await env.prisma.dataset.findUnique({ where: { name: body.name }, select: { id: true } });
  if (!existing) await createDataset(env.prisma, { name: body.name, ...(body.description !== undefined && { description: body.description }) });
  const version = await createDatasetVersion(env.prisma, {
    datasetName: body.name,
    examples: parsed.examples.map(({ inputs, outputs, split }) => ({ inputs: inputs as never, outputs: outputs as never, split })),
    message: body.message ?? `imported ${body.format.toUpperCase()}: ${parsed.examples.length} examples`,
  });
  return { dataset: await getDataset(env.prisma, body.name), version };
}

export function datasetRoutes(env: DatasetsEnv): Route[] {
  const { prisma } = env;
  const common = { tag: "datasets", auth: true } as const;

  const list = defineRoute<DatasetListQuery, undefined>(
    {
      ...common,
      method: "GET",
      path: "/api/v1/datasets",
      operationId: "listDatasets",
      summary: "List datasets by name",
      description: "Each with its latest version. Filter: search (part of the name). Paged: page, limit.",
      query: DatasetListQuerySchema,
      success: { status: 200, name: "DatasetPage", schema: DatasetPageSchema, description: "One page of datasets with the total count." },
      errors: [],
    },
    async ({ query }) => {
      const body: Wire<typeof DatasetPageSchema> = await listDatasets(prisma, query);
      return { status: 200, body };
    },
  );

  const get = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/datasets/{name}",
      operationId: "getDataset",
      summary: "A dataset",
      params: DatasetParamsSchema,
      success: { status: 200, name: "Dataset", schema: DatasetSchema, description: "The dataset with its latest version." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const body: Wire<typeof DatasetSchema> = await getDataset(prisma, params.name!);
      return { status: 200, body };
    },
  );

  const versions = defineRoute<PageQuery, undefined>(
    {
      ...common,
      method: "GET",
      path: "/api/v1/datasets/{name}/versions",
      operationId: "listDatasetVersions",
      summary: "A dataset's versions, newest first",
      description: "Each with its example count per split. Paged: page, limit.",
      params: DatasetParamsSchema,
      query: DatasetVersionsQuerySchema,
      success: { status: 200, name: "DatasetVersionPage", schema: DatasetVersionPageSchema, description: "One page of versions with the total count." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => {
      const body: Wire<typeof DatasetVersionPageSchema> = await listDatasetVersions(prisma, { ...query, datasetName: params.name! });
      return { status: 200, body };
    },
  );

  const version = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/datasets/{name}/versions/{versionId}",
      operationId: "getDatasetVersion",
      summary: "One version of a dataset",
      params: DatasetVersionParamsSchema,
      success: { status: 200, name: "DatasetVersion", schema: DatasetVersionSchema, description: "The version with its example count per split." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const body: Wire<typeof DatasetVersionSchema> = await versionOf(prisma, params.name!, params.versionId!);
      return { status: 200, body };
    },
  );

  const examples = defineRoute<DatasetExamplesQuery, undefined>(
    {
      ...common,
      method: "GET",
      path: "/api/v1/datasets/{name}/versions/{versionId}/examples",
      operationId: "listDatasetExamples",
      summary: "A version's examples, in order",
      description: "Filter: split (train, validation, test). Paged: page, limit.",
      params: DatasetVersionParamsSchema,
      query: DatasetExamplesQuerySchema,
      success: { status: 200, name: "ExamplePage", schema: ExamplePageSchema, description: "One page of examples with the total count." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => {
      await versionOf(prisma, params.name!, params.versionId!);
      const body: Wire<typeof ExamplePageSchema> = await listExamples(prisma, { ...query, versionId: params.versionId! });
      return { status: 200, body };
    },
  );

  const importRoute = defineRoute<undefined, ImportBody>(
    {
      ...common,
      method: "POST",
      path: "/api/v1/datasets/import",
      operationId: "importDataset",
      summary: "Import a JSONL or CSV file as a new version",
      description:
        `The dataset \`name\` is created when missing. JSONL: one object per line, {"inputs": {...}, "outputs": {...}, "split"?: "train"} or flat keys input.<field> / output.<field> / split. ` +
        `CSV: a header row of such columns, or any columns with \`mapping\` (column -> input.<field>, output.<field>, split or ignore). ` +
        `A file with any bad row imports nothing: the 400 answer names each one as rows.<line>.<field>. Content above ${MAX_IMPORT_CONTENT_CHARS} characters: 413.`,
      body: {
        name: "ImportDatasetBody",
        schema: ImportDatasetBodySchema,
        example: { name: "support-tickets", format: "jsonl", content: '{"inputs": {"question": "2+2?"}, "outputs": {"answer": "4"}}\n' },
        limit: "batch",
      },
      success: { status: 201, name: "ImportDatasetResponse", schema: ImportDatasetResponseSchema, description: "The dataset and its new version." },
      errors: ["NOT_FOUND", "CONFLICT", "PAYLOAD_TOO_LARGE"],
    },
    async ({ body }) => {
      const out: Wire<typeof ImportDatasetResponseSchema> = await importFile(env, body);
      return { status: 201, body: out };
    },
  );

  const split = defineRoute<undefined, SplitBody>(
    {
      ...common,
      method: "POST",
      path: "/api/v1/datasets/{name}/versions/{versionId}/split",
      operationId: "splitDatasetVersion",
      summary: "Re-split a version into train/validation/test (a new version)",
      description: "Shuffles the examples reproducibly from `seed`; `testFraction` of them go to test, `validationFraction` to validation, the rest to train.",
      params: DatasetVersionParamsSchema,
      body: { name: "SplitDatasetBody", schema: SplitDatasetSchema, example: { validationFraction: 0.2, testFraction: 0.1, seed: 42 }, limit: "single" },
      success: { status: 201, name: "DatasetVersion", schema: DatasetVersionSchema, description: "The new version." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, body }) => {
      await versionOf(prisma, params.name!, params.versionId!);
      const out: Wire<typeof DatasetVersionSchema> = await splitDataset(prisma, params.versionId!, body);
      return { status: 201, body: out };
    },
  );

  // The import route comes before /{name} routes only for readability: matching is by method too.
  return [list, importRoute, get, versions, version, examples, split];
}
