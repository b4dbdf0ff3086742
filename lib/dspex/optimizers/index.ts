export type {
  Budget,
  CostEstimate,
  EvaluationKind,
  OptimizationEvent,
  OptimizationReport,
  Optimizer,
  OptimizerContext,
  OptimizerOutcome,
  PlanInput,
  Spend,
  StopReason,
  TrialDetails,
  TrialResult,
} from "./types";
export { Study, type StudyOptions, type EvaluateOptions } from "./study";
export { BudgetTracker, BudgetExceededError, validateBudget, type BudgetLimit } from "./budget";
export { memoryCheckpointStore, fileCheckpointStore, parseCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type CheckpointStore } from "./checkpoint";
export { estimateCost, ESTIMATED_OUTPUT_TOKENS } from "./estimate";
export { runOptimization, type RunOptimizationOptions } from "./run";
export { SamplerSearch, type SamplerSearchOptions } from "./sampler-search";
export { Alternate, fixOthers, type AlternatePart } from "./alternate";
export { evaluateBestMinibatchConfig, minibatchMeans } from "./full-evaluation";
export { stepTraces, type StepTrace } from "./step-traces";
export { paretoTrials } from "./pareto-trials";
