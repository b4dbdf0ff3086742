export { planOptimize, budgetCalls, PlanRefusedError, MIN_VALIDATION, UNLIMITED_PLAN_CALLS, type OptimizePlan, type OptimizePlanInput, type PlanStep, type PlannedOptimizer } from "./plan-optimize";
export { fitBootstrap, fitRandomSearch, fitMipro, fitGepa, fitSimba, type FitInput, type Fitted } from "./fit";
export { strongestModel, withDefaultModel } from "./teacher";
