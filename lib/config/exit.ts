// For the entry points (server, worker, scripts): one line on stderr and exit code 1, the way a
// configuration or start-up problem is reported everywhere.
import { ConfigError, loadConfig, type Config } from "./config";

export function exitWithError(program: string, message: string): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(1);
}

/** The configuration, or exit 1 with the line that names the bad variable. */
export function loadConfigOrExit(program: string): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) exitWithError(program, err.message);
    throw err;
  }
}
