export { MIPROv2 } from "./mipro";
export { AUTO_RUN_SETTINGS, MIN_MINIBATCH_VALSET, DEMOS_IN_PROPOSER_CONTEXT, MiproOptionsSchema, defaultMiproSampler, type MiproAuto, type MiproOptions, type MiproSettings } from "./options";
export { resolveSetup, trialsFor, fullEvaluationsFor, type MiproSetup } from "./setup";
export { planMipro } from "./plan";
export { proposeInstructionCandidates, taskDemosText, NO_TASK_DEMOS } from "./instructions";
export { searchConfigurations, type SearchPlan, type SearchOutcome } from "./search";
