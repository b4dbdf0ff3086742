// The demo team shipped with the product: a coder and a reviewer iterating on bundled programming
// tasks, checked by hidden tests in the sandbox; runnable offline with the demo model.
//
// As a job: add createDemoTeamJob({ lmFor, publish }) to the queue's job definitions, next to
// createOptimizationJob, then `queue.enqueue("demo-team", { maxRounds: 4 })`.
export { runDemoTeam, feedbackFrom, type DemoTeamOptions, type DemoTeamResult, type DemoTaskResult, type DemoRound } from "./run-demo-team";
export { DEMO_TASKS, demoTasksById, type DemoTask } from "./tasks";
export { createDemoTeamJob, DEMO_TEAM_JOB, DemoTeamJobPayloadSchema, type DemoTeamJobPayload, type DemoTeamJobDependencies, type DemoTeamJobResult } from "./demo-team-job";
