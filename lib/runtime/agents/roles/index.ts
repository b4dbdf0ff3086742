// Built-in agent roles (coder, reviewer, optimizer) and user-defined roles. A role is a signature
// and instructions (the agent's module) plus the skills that give it actions and handlers:
//   const coder = await startAgent({ name: "coder", lm, ...coderRole().agentOptions() });
//   const attempt = await coder.ask({ type: "write_code", payload: { task, tests } });
export { defineRole, type RoleDefinition, type RoleDefinitionSpec } from "./define-role";
export { runTestsAction, describeReport, RUN_TESTS_ACTION, RunTestsInputSchema, SandboxTestSchema, type RunTestsInput } from "./run-tests-action";
export { coderRole, coderSkill, extractCode, CodeRequestSchema, CODER_SIGNATURE, CODER_INSTRUCTIONS, WRITE_CODE, type CodeRequest, type CodeAttempt } from "./coder";
export {
  reviewerRole,
  reviewerSkill,
  applyTestEvidence,
  verdictFromOutputs,
  VerdictSchema,
  ReviewRequestSchema,
  REVIEWER_SIGNATURE,
  REVIEWER_INSTRUCTIONS,
  DEFAULT_CRITERIA,
  REVIEW,
  type Verdict,
  type Review,
  type ReviewRequest,
} from "./reviewer";
export {
  optimizerRole,
  optimizerSkill,
  OptimizationRequestSchema,
  OPTIMIZATION_JOB_KIND,
  type OptimizationRequest,
  type OptimizationJobQueue,
  type OptimizerRoleDependencies,
  type OptimizationJobReport,
} from "./optimizer";
