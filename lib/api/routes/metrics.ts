import { OverviewMetricsSchema } from "../../schemas";
import { route } from "./define";

export const metricsRoutes = {
  getOverviewMetrics: route({
    method: "GET",
    path: "/api/v1/metrics/overview",
    operationId: "getOverviewMetrics",
    summary: "Throughput, errors, latency, spend and what is running",
    description:
      "The last hour of runs (per minute: started, failed, latency p50/p95), today's spend (UTC) against the budgets, running optimizations with their progress, and the counts of supervised children and agents.",
    tag: "system",
    auth: true,
    success: { status: 200, name: "OverviewMetrics", schema: OverviewMetricsSchema, description: "The overview numbers." },
    errors: [],
  }),
};
