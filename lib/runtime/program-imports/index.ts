// How a server or worker process imports program files from anywhere on disk: module hooks that
// give them the server's own `dspex` and `zod`, and compile TypeScript on plain Node. Imported by
// the process entry points only (server.ts, the worker), never by the dashboard's bundles.
export { registerProgramImports, packageRoot } from "./register-program-imports";
export type { ProgramImportsData } from "./import-hooks";
