// What the serving API's routes and the dashboard's pages share beyond the store: reads and
// checks that combine the store with the program registry, the supervision tree or the job queue.
export { overviewMetrics } from "./overview";
export { readSupervision, flattenSupervision, AGENT_LIST_MAX, type FlatSupervision, type SupervisionSource } from "./supervision";
export { demoTeamJobIdOf, demoTeamJobView, demoTeamSystemId, isDemoTeamJob, listAgentSystems, readAgentSystem } from "./agent-systems";
export { costSummary, costsCsv, costsExport, labelBudgets } from "./costs";
export { listProgramsWithStats, readProgram } from "./programs";
export { checkLaunch, estimateLaunch, launchSetup, lazyPrices, type LaunchEnv } from "./optimization-launch";
export { datasetFitIssues } from "./dataset-fit";
export { readMarketplace, readMarketplaceAction, marketplaceControl, type MarketplaceSource, type MarketplaceControl } from "./marketplace";
