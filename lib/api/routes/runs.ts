import { RunIdParamsSchema, RunListQuerySchema, RunPageSchema, TraceSchema } from "../../schemas";
import { route } from "./define";

export const runsRoutes = {
  listRuns: route({
    method: "GET",
    path: "/api/v1/runs",
    operationId: "listRuns",
    summary: "List runs, newest first",
    description: "Filters: programName, versionId, status, source, apiKeyId, optimizationId, and a time range on the start (from inclusive, to exclusive). Paged: page (1-based), limit (1-100, default 50).",
    tag: "runs",
    auth: true,
    query: RunListQuerySchema,
    success: { status: 200, name: "RunPage", schema: RunPageSchema, description: "One page of runs with the total count." },
    errors: [],
  }),
  getRun: route({
    method: "GET",
    path: "/api/v1/runs/{id}",
    operationId: "getRun",
    summary: "A run's trace",
    description: "The run (by run id or trace id) with its spans as a tree and every LM call with the exact messages.",
    tag: "runs",
    auth: true,
    params: RunIdParamsSchema,
    success: { status: 200, name: "Trace", schema: TraceSchema, description: "The run, its span tree and its LM calls." },
    errors: ["NOT_FOUND"],
  }),
};
