// The store: repositories over Prisma. Every function takes the PrismaClient first; inputs are
// parsed with the shared zod schemas (lib/schemas) and failures are StoreErrors (NOT_FOUND,
// CONFLICT, INVALID) whose issues name each field.
export { entityCounts, type EntityCounts } from "./counts";
export { StoreError, NotFoundError, ConflictError, InvalidInputError, DatasetImportError, isStoreError, type StoreErrorCode, type StoreIssue } from "./errors";
export { upsertProgram, listPrograms, getProgram, type ProgramSummary, type UpsertProgramInput } from "./programs";
export {
  createProgramVersion,
  promoteVersion,
  rollbackProgram,
  listProgramVersions,
  getProgramVersion,
  getActiveVersion,
  diffProgramVersions,
  type ProgramVersionView,
  type ActivationResult,
  type VersionDiff,
} from "./program-versions";
export { mergeConfig, diffConfigs, reasonToIssue } from "./config-merge";
export {
  createDataset,
  getDataset,
  listDatasets,
  createDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
  listExamples,
  loadDatasetSplits,
  splitDataset,
  assignSplits,
  importDatasetFile,
  type DatasetView,
  type DatasetVersionView,
  type ExampleView,
  type DatasetSplits,
  type SplitCounts,
} from "./datasets";
export { parseDatasetFile, MAX_IMPORT_ERRORS, type DatasetImportResult, type ImportedExample, type ImportRowError } from "./dataset-import";
export { parseCsv, CsvSyntaxError, type CsvRecord } from "./csv";
export {
  createApiKey,
  verifyApiKey,
  revokeApiKey,
  listApiKeys,
  hashApiKey,
  createApiKeyUsageRecorder,
  API_KEY_PREFIX,
  type ApiKeyView,
  type CreatedApiKey,
  type VerifiedApiKey,
  type ApiKeyVerification,
  type ApiKeyUsageRecorder,
  type ApiKeyUsageOptions,
} from "./api-keys";
export { createBudget, updateBudget, deleteBudget, getBudget, listBudgets, windowStartOf, type BudgetView } from "./budgets";
export { listRuns, type RunSummary, type RunStatus, type RunSource } from "./runs";
export { getTrace, type Trace, type SpanNode, type LMCallView } from "./traces";
export { costReport, type CostReport, type CostRow, type CostTotals } from "./costs";
export {
  createOptimization,
  getOptimization,
  listOptimizations,
  setOptimizationStatus,
  listTrials,
  OPTIMIZATION_TRANSITIONS,
  type OptimizationView,
  type TrialView,
} from "./optimizations";
export { dbCheckpointStore, type DbCheckpointStore, type CheckpointHead } from "./checkpoint-store";
export { loadPriceOverrides, PRICE_OVERRIDE } from "./price-overrides";
export { toAgentRow } from "./agents";
