import { z } from "zod";
import { CreateExperimentBodySchema, ExperimentDetailSchema, ExperimentListQuerySchema, ExperimentPageSchema, ExperimentSchema, IdSchema } from "../../schemas";
import { route } from "./define";

export const experimentsRoutes = {
  createExperiment: route({
    method: "POST",
    path: "/api/v1/experiments",
    operationId: "createExperiment",
    summary: "Run versions of a program on a dataset, side by side",
    description:
      "Runs each version (by number; the first is the baseline) on the same examples of a dataset version (the validation split by default, train when it has none; at most `limit`), each example as a traced run scored by the program's metric. Runs in the background: read the results with GET /api/v1/experiments/{id}. The runs count against the program's budgets.",
    tag: "experiments",
    auth: true,
    body: { name: "CreateExperimentBody", schema: CreateExperimentBodySchema, example: { program: "qa", versions: [1, 2], datasetVersionId: "8c9e0a4e-...", limit: 20 }, limit: "single" },
    success: { status: 201, name: "Experiment", schema: ExperimentSchema, description: "The experiment, queued." },
    errors: ["NOT_FOUND", "QUEUE_UNAVAILABLE"],
  }),
  getExperiment: route({
    method: "GET",
    path: "/api/v1/experiments/{id}",
    operationId: "getExperiment",
    summary: "An experiment's results, example by example",
    description:
      "Per version: mean score with a 95% interval, errors, cost, latency p50/p95, and how many examples scored better, worse or the same as the baseline. Per example: the input, the expected output, each version's output, score, error and run (its trace), and whether the versions differ.",
    tag: "experiments",
    auth: true,
    params: z.object({ id: IdSchema }),
    success: { status: 200, name: "ExperimentDetail", schema: ExperimentDetailSchema, description: "The experiment and its rows." },
    errors: ["NOT_FOUND"],
  }),
  listExperiments: route({
    method: "GET",
    path: "/api/v1/experiments",
    operationId: "listExperiments",
    summary: "Experiments, newest first",
    tag: "experiments",
    auth: true,
    query: ExperimentListQuerySchema,
    success: { status: 200, name: "ExperimentPage", schema: ExperimentPageSchema, description: "One page of experiments with their aggregates." },
    errors: [],
  }),
};
