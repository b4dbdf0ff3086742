export { RunsTable } from "./runs-table";
export type { RunFilterOptions } from "./run-filters";
export { StatusBadge } from "./status-badge";
export { TraceView } from "./trace/trace-view";
export { useThrottled, useEventRefetch } from "./use-throttled";
export { formatUsd, formatMs, formatCount, formatPercent, formatTime } from "./format";
