// Background jobs: one JobQueue interface, two backends (embedded on the Job table under
// supervision; BullMQ on Redis with workers anywhere), the Job table as the record either way,
// and the optimization job.
export type { JobQueue, JobView } from "./types";
export {
  defineJob,
  createJobRegistry,
  parsePayload,
  DEFAULT_MAX_ATTEMPTS,
  type JobDefinition,
  type JobRunContext,
  type JobRegistry,
  type JobCancelledInfo,
  type JobFailedInfo,
} from "./define-job";
export { createJobQueue, type JobQueueOptions } from "./create-job-queue";
export { createEmbeddedJobQueue } from "./embedded-queue";
export { createBullJobQueue } from "./bullmq-queue";
export {
  CommonQueueOptionsSchema,
  EmbeddedQueueOptionsSchema,
  BullQueueOptionsSchema,
  type EmbeddedQueueOptions,
  type BullQueueOptions,
  type QueueDependencies,
} from "./options";
export {
  JobError,
  JobConfigError,
  JobAbortedError,
  JobTimeoutError,
  PermanentJobError,
  WorkerLostError,
  abortReasonOf,
  type JobErrorCode,
  type JobAbortReason,
} from "./errors";
export {
  createOptimizationJob,
  OPTIMIZATION_JOB,
  OptimizationJobPayloadSchema,
  type OptimizationJobPayload,
  type OptimizationJobDependencies,
  type OptimizationJobResult,
} from "./optimization-job";
export { OptimizationRunOptionsSchema, type OptimizationRunOptions } from "./optimization-plan";
export { enqueueOptimization, stopOptimization, liveOptimizationJobs } from "./optimization-control";
export type { PublishOptimizationEvent, OptimizationEventName } from "./optimization-events";
