// Entry of a sandbox worker thread: registers tsx (the project runs TypeScript through it) in
// this thread, then loads worker.ts. Works whether or not the parent process was started with
// `--import tsx` (the pool starts workers with empty execArgv, so tsx is registered once).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
