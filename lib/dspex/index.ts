// DSPEx, the framework: signatures, modules, adapters, LM clients, evaluation, saved state.
// A plain Node script can use it: it never imports Next, the database or socket.io.
//
//   import { Predict, createLM } from "./lib/dspex";
//   const qa = new Predict("question -> answer");
//   const { answer } = await qa.run({ question: "What is DSPEx?" }, createLM());

export type { RunContext } from "./context";
export * from "./errors";
export * from "./signatures";
export * from "./adapters";
export * from "./lm";
export * from "./modules";
export * from "./evaluate";
export * from "./state";
export * from "./trace";
export * from "./random";
export * from "./variables";
export * from "./samplers";
export * from "./optimizers";
export { createDemoLM, DEMO_MODELS, DEFAULT_DEMO_MODEL, explainDemoReply, isDemoModel, type DemoLMOptions } from "./demo-lm";
export { createLM, isDemoLM, providersFromEnv, type CreateLMOptions } from "./create-lm";
export { configure, configuredLM, type Configuration } from "./configure";
