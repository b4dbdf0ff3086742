export { createExperimentJob, EXPERIMENT_JOB, ExperimentJobPayloadSchema, type ExperimentJobDependencies, type ExperimentJobPayload, type ExperimentRunRecorder } from "./experiment-job";
