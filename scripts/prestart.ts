// Runs before `npm start`: a wrong setting fails in one line before any slow work, then the
// server and the dashboard are built if their sources changed since the last build.
import { ConfigError, loadConfig } from "../lib/config";
import { ensureBuildOrExit } from "./ensure-build";

try {
  loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`dspex: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
await ensureBuildOrExit();
