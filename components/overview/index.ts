export { OverviewMetrics } from "./overview-metrics";
