// The offline demo model: answers DSPEx programs without an API key. See README.md for exactly
// how it decides.
export { createDemoLM, DEMO_PROVIDER } from "./create-demo-lm";
export type { DemoLMOptions, DemoClock, DemoSleep, DemoLatency } from "./options";
export { DEMO_MODELS, DEFAULT_DEMO_MODEL, isDemoModel, demoModelProfile, type DemoModelProfile } from "./models";
export { COMPETENCE, TASK_CUES, competence, cuesIn, type Competence, type CompetenceInput, type DemoTaskKind } from "./competence";
export { explainDemoReply, type DemoExplanation } from "./explain";
