import { PredictBatchBodySchema, type PredictBatchBody, PredictBatchResponseSchema, PredictBodySchema, PredictResponseSchema, ProgramNameParamsSchema } from "../../schemas";
import { route } from "./define";

const RUN_ERRORS = ["NOT_FOUND", "VERSION_INVALID", "BUDGET_EXCEEDED", "TIMEOUT", "LM_TIMEOUT", "LM_ERROR", "OUTPUT_PARSE", "OUTPUT_INVALID", "PROVIDER_UNAVAILABLE", "RATE_LIMITED", "RUN_FAILED", "RUN_NOT_RECORDED", "ABORTED"] as const;

const QA_INPUT = { context: "DSPEx is a TypeScript platform for language-model programs.", question: "What is DSPEx?" };

export const predictRoutes = {
  predict: route({
    method: "POST",
    path: "/api/v1/programs/{name}/predict",
    operationId: "predict",
    summary: "Run a program on one input",
    description:
      "Runs the program's active version (or the pinned `version`, by id or number) on `input`, which must fit the program's signature. The run, its spans and LM calls are recorded with the optional `tags`, `userId` and `sessionId` (searchable with GET /api/v1/runs/search); the response names the run and trace.",
    tag: "predictions",
    auth: true,
    params: ProgramNameParamsSchema,
    body: { name: "PredictBody", schema: PredictBodySchema, example: { input: QA_INPUT, tags: ["docs"], userId: "user-42", sessionId: "chat-7" }, limit: "single" },
    success: { status: 200, name: "PredictResponse", schema: PredictResponseSchema, description: "The program's output, with its run, trace, version, usage, cost and latency." },
    errors: ["INPUT_INVALID", ...RUN_ERRORS],
    runs: true,
  }),
  predictBatch: route({
    method: "POST",
    path: "/api/v1/programs/{name}/predict/batch",
    operationId: "predictBatch",
    summary: "Run a program on up to 100 inputs",
    description:
      "Runs one version of the program on each input (a few at a time) and answers with one result per input, in order: the output, or the error of that item. Each item is its own recorded run. Each input counts against the key's rate limit.",
    tag: "predictions",
    auth: true,
    params: ProgramNameParamsSchema,
    body: {
      name: "PredictBatchBody",
      schema: PredictBatchBodySchema,
      example: { inputs: [QA_INPUT, { ...QA_INPUT, question: "Which framework inspired DSPEx?" }], version: 1 },
      limit: "batch",
      cost: (b: PredictBatchBody) => b.inputs.length,
    },
    success: { status: 200, name: "PredictBatchResponse", schema: PredictBatchResponseSchema, description: "One result per input, with totals." },
    errors: ["NOT_FOUND", "VERSION_INVALID"],
  }),
};
