export type {
  Budget,
  CostEstimate,
  EvaluationKind,
  OptimizationEvent,
  OptimizationReport,
  BudgetUse,
  SpendPart,
  Optimizer,
  OptimizerContext,
  OptimizerOutcome,
  PlanInput,
  Spend,
  StopReason,
  TrialDetails,
  TrialResult,
} from "./types";
export { Study, type StudyOptions, type EvaluateOptions as TrialEvaluateOptions } from "./study";
export { BudgetTracker, BudgetExceededError, validateBudget, type BudgetLimit } from "./budget";
export { memoryCheckpointStore, fileCheckpointStore, parseCheckpoint, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type Checkpoint, type CheckpointStore } from "./checkpoint";
export { estimateCost, ESTIMATED_OUTPUT_TOKENS, type ServedBy } from "./estimate";
export { runOptimization, type RunOptimizationOptions } from "./run";
export { SamplerSearch, type SamplerSearchOptions } from "./sampler-search";
export { Alternate, fixOthers, type AlternatePart } from "./alternate";
export { evaluateBestMinibatchConfig, minibatchMeans } from "./full-evaluation";
export { stepTraces, type StepTrace } from "./step-traces";
export { paretoTrials } from "./pareto-trials";
export { Simba, SimbaOptionsSchema, type SimbaOptions } from "./simba";
export { Gepa, GepaOptionsSchema, frontReport, type GepaOptions, type FrontReport } from "./gepa";
export { OptimizerOptionError } from "./optimizer-options";
export { LabeledFewShot, BootstrapFewShot, BootstrapFewShotWithRandomSearch, type LabeledFewShotOptions, type BootstrapFewShotOptions, type BootstrapFewShotWithRandomSearchOptions } from "./bootstrap";
export { MIPROv2, AUTO_RUN_SETTINGS, type MiproOptions, type MiproAuto } from "./mipro";
export { describeProgram, describeStep, summarizeDataset, proposeInstruction, formatExample, formatExamples, formatValues, PROPOSAL_TIPS, type ProposalTip } from "./proposals";
export { planOptimize, budgetCalls, PlanRefusedError, strongestModel, withDefaultModel, fitBootstrap, fitGepa, fitMipro, fitRandomSearch, fitSimba, type OptimizePlan, type PlanStep, type PlannedOptimizer } from "./planning";
export { race, planRace, type RaceOptions, type RaceOutcome } from "./race";
export { budgetUseOf, describeBudgetUse } from "./budget-use";
export { costAware, type CostAwareResult, type CostPoint } from "./cost-front";
export { typicalCall, type TypicalCall } from "./estimate";
export { optimize, chooseOptimizer, holdOut, OPTIMIZER_NAMES, type OptimizeOptions, type OptimizeResult, type OptimizerName } from "./optimize";
export { GeneticSearch, lmRewrite } from "./genetic-search";
export { ReflectRace, ReflectRaceOptionsSchema, type ReflectRaceOptions } from "./reflect-race";
