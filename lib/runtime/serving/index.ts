// The serving API (/api/v1): predictions, runs and traces, optimizations, health, and its OpenAPI
// document, as a framework-free node:http router that server.ts mounts before the Next handler.
export { createServingApi, type ServingApi } from "./api";
export { ServingError, toServingError } from "./errors";
export { findJsonError, type JsonSyntaxProblem } from "./json-position";
export { ServingOptionsSchema, parseServingOptions, type ServingOptions, type ServingOptionsInput } from "./options";
export type { OpenApiDocument } from "./openapi";
export type {
  ApiKeyLimiter,
  LimitDecision,
  OptimizationJobs,
  RunScopes,
  RunTotals,
  RunTracerInit,
  ServingDeps,
  ServingRunTracer,
} from "./types";
export { createHttpDrain, type HttpDrain } from "./http-drain";
