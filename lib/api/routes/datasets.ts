import { DatasetExamplesQuerySchema, DatasetListQuerySchema, DatasetPageSchema, DatasetParamsSchema, DatasetSchema, DatasetVersionPageSchema, DatasetVersionParamsSchema, DatasetVersionSchema, DatasetVersionsQuerySchema, ExamplePageSchema, ImportDatasetBodySchema, ImportDatasetResponseSchema, MAX_IMPORT_CONTENT_CHARS, SplitDatasetSchema } from "../../schemas";
import { route } from "./define";

const common = { tag: "datasets", auth: true } as const;

export const datasetsRoutes = {
  listDatasets: route({
    ...common,
    method: "GET",
    path: "/api/v1/datasets",
    operationId: "listDatasets",
    summary: "List datasets by name",
    description: "Each with its latest version. Filter: search (part of the name). Paged: page, limit.",
    query: DatasetListQuerySchema,
    success: { status: 200, name: "DatasetPage", schema: DatasetPageSchema, description: "One page of datasets with the total count." },
    errors: [],
  }),
  getDataset: route({
    ...common,
    method: "GET",
    path: "/api/v1/datasets/{name}",
    operationId: "getDataset",
    summary: "A dataset",
    params: DatasetParamsSchema,
    success: { status: 200, name: "Dataset", schema: DatasetSchema, description: "The dataset with its latest version." },
    errors: ["NOT_FOUND"],
  }),
  listDatasetVersions: route({
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
  }),
  getDatasetVersion: route({
    ...common,
    method: "GET",
    path: "/api/v1/datasets/{name}/versions/{versionId}",
    operationId: "getDatasetVersion",
    summary: "One version of a dataset",
    params: DatasetVersionParamsSchema,
    success: { status: 200, name: "DatasetVersion", schema: DatasetVersionSchema, description: "The version with its example count per split." },
    errors: ["NOT_FOUND"],
  }),
  listDatasetExamples: route({
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
  }),
  importDataset: route({
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
  }),
  splitDatasetVersion: route({
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
  }),
};
