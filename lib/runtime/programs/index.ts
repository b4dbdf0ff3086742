// Programs a server serves: the bundled demos and programs/<name>.ts, synced into the database
// (rows, version 1, seeded datasets) and resolved to the Module of a stored version.
export { defineServedProgram, isServedProgram, type ServedProgram, type ServedProgramSpec, type ServedExample, type ExampleSplitName } from "./define-served-program";
export { createProgramRegistry, createLiveProgramRegistry, registerProgram, formatLoadError, programNameOfFile, type ProgramRegistry, type LiveProgramRegistry, type RegisteredProgram, type ProgramLoadError } from "./registry";
export { watchPrograms, type ProgramWatcher, type ProgramWatcherOptions } from "./watch-programs";
export { loadProgramRegistry, loadErrorKey, DEFAULT_PROGRAMS_DIR, type LoadProgramsOptions } from "./load-programs";
export { demoPrograms, demoProgram } from "./demo-programs";
export { describeProgram, type ProgramDescription } from "./describe-program";
export { syncPrograms, type SyncReport, type SyncedProgram, type SyncOptions } from "./sync";
export { createProgramResolver, type ProgramResolver, type ResolvedProgram } from "./resolve";
export { describeModuleTree } from "./describe-module-tree";
export { describeVariables } from "./describe-variables";
