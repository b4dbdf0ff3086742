// Runs before `npm start`: a wrong setting fails in one line before any slow work, then the
// dashboard is built if the sources changed since the last build.
import { ConfigError, loadConfig } from "../lib/config";
import { ensureBuild } from "./ensure-build";

try {
  loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`dspex: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
ensureBuild();
