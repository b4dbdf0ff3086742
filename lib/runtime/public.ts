// What programs and scripts outside this repository import as `dspex/runtime`: the parts of the
// runtime a program file uses (a served program's definition, actions, skills, agents, teams and
// supervisors), without the server: no database, Next or socket.io is loaded.
export { defineServedProgram, isServedProgram, type ServedProgram, type ServedProgramSpec, type ServedExample, type ExampleSplitName } from "./programs/define-served-program";
export * from "./agents";
export * from "./supervisor";
