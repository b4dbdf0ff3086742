// The store as one object over one database: every repository function with the PrismaClient
// already given. The rest of the runtime, the serving API and the dashboard's pages read and write
// through it, so only this folder knows Prisma.
import type { PrismaClient } from "../../db";
import { actionUsage, listActionSettings, setActionEnabled } from "./actions";
import { acknowledgeAlert, alertCounts, getAlertSettings, listAlerts, raiseAlert, recordAlertDelivery, resolveAlert, runWindowStats, saveAlertSettings } from "./alerts";
import { getAgentSystem, listAgents, listAgentSystems } from "./agent-systems";
import { apiKeyOwner, createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./api-keys";
import { budgetTargetNames, createBudget, deleteBudget, getBudget, listBudgets, listBudgetTargets, updateBudget } from "./budgets";
import { costReport } from "./costs";
import { createExperiment, experimentPlan, getExperiment, listExperiments, recordExperimentResult, setExperimentStatus } from "./experiments";
import { entityCounts } from "./counts";
import {
  createDataset,
  createDatasetVersion,
  datasetVersionExists,
  ensureDataset,
  getDataset,
  getDatasetVersion,
  importDatasetFile,
  latestDatasetVersionId,
  listDatasets,
  listDatasetVersions,
  listExamples,
  listRecentDatasetVersions,
  loadDatasetSplits,
  splitDataset,
} from "./datasets";
import { createOptimization, getOptimization, getTrial, listOptimizations, listTrials, setOptimizationJob, setOptimizationStatus } from "./optimizations";
import { overviewFigures } from "./overview";
import { pingDatabase } from "./ping";
import { createPriceOverride, deletePriceOverride, findPriceRow, listPriceOverrides, loadPriceOverrides } from "./price-overrides";
import { findProgramHead, findVersionIdByNumber, programRunStats, withAuthorNames } from "./program-stats";
import { createProgramVersion, diffProgramVersions, getActiveVersion, getProgramVersion, listProgramVersions, promoteVersion, rollbackProgram, rollbackTarget } from "./program-versions";
import { getProgram, listPrograms, upsertProgram } from "./programs";
import { createProvider, deleteProvider, getProvider, listProviders, providersVersion, updateProvider } from "./providers";
import { listRuns, runFilterChoices } from "./runs";
import { createSession, endSession, findSession } from "./sessions";
import { addRunToDataset } from "./run-to-dataset";
import { deleteSavedView, listSavedViews, saveView } from "./saved-views";
import { searchRuns } from "./trace-search";
import { addScore, listScores, runForScoring } from "./scores";
import { addQueueItems, completeQueueItem, createAnnotationQueue, listAnnotationQueues, nextQueueItem } from "./annotation-queues";
import { getTrace } from "./traces";
import { checkCredentials, createFirstAdmin, createUser, listUsers, needsSetup, setUserDisabled } from "./users";

const repositories = {
  // programs and versions
  upsertProgram,
  listPrograms,
  getProgram,
  findProgramHead,
  findVersionIdByNumber,
  programRunStats,
  withAuthorNames,
  createProgramVersion,
  promoteVersion,
  rollbackProgram,
  rollbackTarget,
  listProgramVersions,
  getProgramVersion,
  getActiveVersion,
  diffProgramVersions,
  // datasets
  createDataset,
  ensureDataset,
  getDataset,
  listDatasets,
  createDatasetVersion,
  importDatasetFile,
  getDatasetVersion,
  listDatasetVersions,
  listRecentDatasetVersions,
  latestDatasetVersionId,
  datasetVersionExists,
  listExamples,
  loadDatasetSplits,
  splitDataset,
  // runs, traces, costs, overview
  listRuns,
  runFilterChoices,
  getTrace,
  searchRuns,
  listSavedViews,
  saveView,
  deleteSavedView,
  addRunToDataset,
  listScores,
  addScore,
  runForScoring,
  createAnnotationQueue,
  listAnnotationQueues,
  addQueueItems,
  nextQueueItem,
  completeQueueItem,
  costReport,
  overviewFigures,
  entityCounts,
  pingDatabase,
  // alerts
  raiseAlert,
  resolveAlert,
 
  listAlerts,
  acknowledgeAlert,
  recordAlertDelivery,
  getAlertSettings,
  saveAlertSettings,
  runWindowStats,
  alertCounts,
  // experiments
  createExperiment,
  getExperiment,
  listExperiments,
  experimentPlan,
  setExperimentStatus,
  recordExperimentResult,
  // optimizations
  createOptimization,
  getOptimization,
  listOptimizations,
  setOptimizationStatus,
  setOptimizationJob,
  listTrials,
  getTrial,
  // budgets and prices
  createBudget,
  updateBudget,
  deleteBudget,
  getBudget,
  listBudgets,
  budgetTargetNames,
  listBudgetTargets,
  loadPriceOverrides,
  listPriceOverrides,
  findPriceRow,
  createPriceOverride,
  deletePriceOverride,
  // agents and the marketplace
  listActionSettings,
  setActionEnabled,
  actionUsage,
  listAgentSystems,
  getAgentSystem,
  listAgents,
  // people, sessions, API keys, providers
  needsSetup,
  createFirstAdmin,
  createUser,
  listUsers,
  setUserDisabled,
  checkCredentials,
  createSession,
  findSession,
  endSession,
  createApiKey,
  verifyApiKey,
  revokeApiKey,
  listApiKeys,
  apiKeyOwner,
  listProviders,
  getProvider,
  createProvider,
  updateProvider,
  deleteProvider,
  providersVersion,
};

type Repositories = typeof repositories;
type Bound<F> = F extends (prisma: PrismaClient, ...args: infer A) => infer R ? (...args: A) => R : never;

/** Every repository function, its database given. */
export type Store = { readonly [K in keyof Repositories]: Bound<Repositories[K]> };

export function createStore(prisma: PrismaClient): Store {
  const store: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repositories) as [string, (prisma: PrismaClient, ...args: unknown[]) => unknown][]) {
    store[name] = (...args: unknown[]) => fn(prisma, ...args);
  }
  return store as Store;
}
