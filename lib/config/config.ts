import path from "node:path";
import { decodeSecretKey, EnvSchema, type Env } from "./schema";

export type LogLevel = Env["LOG_LEVEL"];

export interface DatabaseConfig {
  /** A PostgreSQL connection string; absent means the embedded PGlite database. */
  url?: string;
  /** Absolute path of the data directory (PGlite files and other local state). */
  dataDir: string;
}

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl?: string;
  lm: { baseUrl?: string; apiKey?: string; model?: string };
  /** Limits on calls to the provider: per minute (shared through Redis when REDIS_URL is set), in flight, per attempt. */
  lmLimits: { requestsPerMinute?: number; tokensPerMinute?: number; concurrency?: number; timeoutMs: number };
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  /** The demo model's simulated latency per call. */
  demoLatencyMs: { min: number; max: number };
  /** Requests per minute per API key unless the key sets its own. */
  apiRateLimitPerMinute: number;
  jobConcurrency: number;
  retentionDays: number;
  programsDir: string;
  /** DSPEX_SECRET_KEY (32 bytes) for secrets at rest; absent: <dataDir>/secret.key, made on first use. */
  secretKey?: Buffer;
}

/** A configuration problem; its message is one line naming the variable and what was wrong. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

type EnvSource = Record<string, string | undefined>;

function describe(env: EnvSource, key: string): string {
  const raw = env[key];
  // A secret is never echoed into a log line.
  if (key === "DSPEX_SECRET_KEY") return "";
  return raw === undefined ? "" : ` (got ${JSON.stringify(raw.length > 60 ? raw.slice(0, 57) + "..." : raw)})`;
}

/** Parses the environment; throws ConfigError with a one-line message on any bad value. */
export function loadConfig(env: EnvSource = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "environment")))];
    const parts = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "environment");
      return `${key} ${i.message}${describe(env, key)}`;
    });
    throw new ConfigError(`Invalid configuration: ${parts.join("; ")}`, keys);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: { url: e.DATABASE_URL, dataDir: path.resolve(cwd, e.DSPEX_DATA_DIR) },
    redisUrl: e.REDIS_URL,
    lm: { baseUrl: e.DSPEX_LM_BASE_URL, apiKey: e.DSPEX_LM_API_KEY, model: e.DSPEX_LM_MODEL },
    lmLimits: { requestsPerMinute: e.DSPEX_LM_RPM, tokensPerMinute: e.DSPEX_LM_TPM, concurrency: e.DSPEX_LM_CONCURRENCY, timeoutMs: e.DSPEX_LM_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.DSPEX_SHUTDOWN_TIMEOUT_MS,
    demoLatencyMs: parseRange(e.DSPEX_DEMO_LATENCY_MS),
    apiRateLimitPerMinute: e.DSPEX_API_RATE_LIMIT,
    jobConcurrency: e.DSPEX_JOB_CONCURRENCY,
    retentionDays: e.DSPEX_RETENTION_DAYS,
    programsDir: path.resolve(cwd, e.DSPEX_PROGRAMS_DIR),
    ...(e.DSPEX_SECRET_KEY !== undefined && { secretKey: decodeSecretKey(e.DSPEX_SECRET_KEY) }),
  };
}

function parseRange(text: string): { min: number; max: number } {
  const [a, b] = text.split("-").map(Number);
  const min = a ?? 0;
  return { min, max: Math.max(min, b ?? min) };
}
