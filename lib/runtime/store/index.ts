// The store: repositories over Prisma, the only folder that queries the database. Every function
// takes the PrismaClient first; createStore binds them all to one client (the Store the runtime,
// the serving API and the pages use). Inputs are parsed with the shared zod schemas (lib/schemas)
// and failures are StoreErrors (NOT_FOUND, CONFLICT, INVALID) whose issues name each field.
export { createStore, type Store } from "./store";
export { entityCounts, type EntityCounts } from "./counts";
export { StoreError, NotFoundError, ConflictError, InvalidInputError, DatasetImportError, isStoreError, type StoreErrorCode, type StoreIssue } from "./errors";
export { upsertProgram, listPrograms, getProgram, type ProgramSummary, type UpsertProgramInput } from "./programs";
export {
  createProgramVersion,
  promoteVersion,
  rollbackProgram,
  rollbackTarget,
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
  ensureDataset,
  listRecentDatasetVersions,
  latestDatasetVersionId,
  datasetVersionExists,
  type DatasetVersionChoice,
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
  deleteApiKey,
  listApiKeys,
  hashApiKey,
  createApiKeyUsageRecorder,
  apiKeyOwner,
  API_KEY_PREFIX,
  type ApiKeyView,
  type CreatedApiKey,
  type VerifiedApiKey,
  type ApiKeyVerification,
  type ApiKeyUsageRecorder,
  type ApiKeyUsageOptions,
} from "./api-keys";
export { listActionSettings, setActionEnabled, actionUsage, createActionUsageRecorder, type ActionSettingView, type ActionUsageView, type ActionUsageRecorder, type ActionCall } from "./actions";
export { createBudget, updateBudget, deleteBudget, getBudget, listBudgets, windowStartOf, budgetTargetNames, listBudgetTargets, budgetLimits, type BudgetView, type BudgetTargetName } from "./budgets";
export { listRuns, runFilterChoices, type RunSummary, type RunStatus, type RunSource, type RunFilterChoices } from "./runs";
export { getTrace, type Trace, type SpanNode, type LMCallView } from "./traces";
export { searchRuns, toPrefixQuery, RUN_SEARCH_VECTOR } from "./trace-search";
export { listSavedViews, saveView, deleteSavedView } from "./saved-views";
export { addRunToDataset } from "./run-to-dataset";
export { listScores, addScore, runForScoring, type NewScore, type ScoredRun } from "./scores";
export { createAnnotationQueue, listAnnotationQueues, addQueueItems, nextQueueItem, completeQueueItem } from "./annotation-queues";
export { costReport, type CostReport, type CostRow, type CostTotals } from "./costs";
export {
  createOptimization,
  getOptimization,
  listOptimizations,
  setOptimizationStatus,
  setOptimizationJob,
  listTrials,
  getTrial,
  OPTIMIZATION_TRANSITIONS,
  type TrialDetailView,
  type TrialExampleView,
  type OptimizationView,
  type TrialView,
} from "./optimizations";
export { dbCheckpointStore, type DbCheckpointStore, type CheckpointHead } from "./checkpoint-store";
export { loadPriceOverrides, listPriceOverrides, findPriceRow, createPriceOverride, deletePriceOverride, PRICE_OVERRIDE } from "./price-overrides";
export { toAgentRow } from "./agents";
export { listAgentSystems, getAgentSystem, listAgents } from "./agent-systems";
export { programRunStats, withAuthorNames, findProgramHead, findVersionIdByNumber, findVersionByAuthor, findVersionConfig, type ProgramRunStats, type AuthoredVersion } from "./program-stats";
export { overviewFigures } from "./overview";
export { pingDatabase } from "./ping";
export { createExperiment, getExperiment, listExperiments, experimentPlan, setExperimentStatus, recordExperimentResult, type NewExperimentResult } from "./experiments";
export { raiseAlert, resolveAlert, listAlerts, acknowledgeAlert, recordAlertDelivery, getAlertSettings, saveAlertSettings, runWindowStats, alertCounts, type NewAlert, type RunWindowStats } from "./alerts";
export { listProviders, getProvider, createProvider, updateProvider, deleteProvider, providersVersion, type ProviderRecord, type ProviderFields, type StoredProviderModel } from "./providers";
export { needsSetup, createFirstAdmin, createUser, listUsers, setUserDisabled, checkCredentials } from "./users";
export { createSession, findSession, endSession, SESSION_TTL_MS, type ActiveSession } from "./sessions";
export { hashPassword, verifyPassword } from "./passwords";
export { findTextProblem, jsonDepthExceeds, textProblem } from "./text-guards";
export { insertJob, getJob, listJobs, cancelJobRow, deleteJobRow, liveJobsWithPayload, jobState, toJobView, type NewJobRow, type CancelOutcome } from "./jobs";
export {
  claimNext,
  takeOver,
  heartbeat,
  writeProgress,
  retryDelay,
  settleAttempt,
  recoverOrphans,
  workerLostMessage,
  type ClaimedJob,
  type AttemptOutcome,
  type Settlement,
  type TakeOver,
  type StaleJob,
  type Recovery,
  type JobAbortReason,
} from "./job-attempts";
export { ensureActiveVersion, programNames, datasetExists, type ActiveVersionPlan } from "./program-sync";
export { createInstance, markInstance, runningRunOwners, instanceBeats, failRunningRuns, recentInstanceIds, deleteInstancesSilentSince } from "./instances";
