export { loadConfig, ConfigError, type Config, type DatabaseConfig, type LogLevel } from "./config";
export { EnvSchema, type Env } from "./schema";
export { exitWithError, loadConfigOrExit } from "./exit";
